//! Chinese surnames and how they are read as surnames.
//!
//! Enter checks in the top hit, so a surname must be read only the way a surname is read:
//! 丁 is ding (not zheng), 方 fang (not wang), 叶 ye (not xie), 万 wan (mo only in 万俟),
//! 单 shan, 曾 zeng, 解 xie, 仇 qiu… The `pinyin` crate gives every reading of a character in
//! running-text order, so left alone it lets 丁建平 answer `zhengjianping`. The table covers
//! the common surnames (the few hundred that carry nearly every person in a list), each
//! with its reading(s) as a surname, and the compound surnames.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Two-character surnames: name, then one reading per character (ü typed as v).
const COMPOUND: &str = "
尉迟 yu chi|万俟 mo qi|单于 chan yu|长孙 zhang sun|澹台 tan tai|欧阳 ou yang|司马 si ma|上官 shang guan|
诸葛 zhu ge|东方 dong fang|皇甫 huang fu|令狐 ling hu|慕容 mu rong|公孙 gong sun|宇文 yu wen|司徒 si tu|
夏侯 xia hou|端木 duan mu|南宫 nan gong|轩辕 xuan yuan|呼延 hu yan|闻人 wen ren|司空 si kong|申屠 shen tu|
钟离 zhong li|宗政 zong zheng|濮阳 pu yang|淳于 chun yu|仲孙 zhong sun|赫连 he lian|拓跋 tuo ba|百里 bai li|
东郭 dong guo|西门 xi men|左丘 zuo qiu|公冶 gong ye|太史 tai shi|公羊 gong yang|亓官 qi guan|巫马 wu ma|
漆雕 qi diao|闾丘 lv qiu|独孤 du gu|南门 nan men|第五 di wu|乐正 yue zheng|颛孙 zhuan sun|梁丘 liang qiu";

/// Single-character surnames: the character, then its reading(s) as a surname, most usual
/// first: the common ones roughly by frequency, then the rarer and the polyphonic ones.
const SINGLE: &str = "
王 wang|李 li|张 zhang|刘 liu|陈 chen|杨 yang|黄 huang|赵 zhao|吴 wu|周 zhou|徐 xu|孙 sun|马 ma|朱 zhu|胡 hu|
郭 guo|何 he|林 lin|高 gao|罗 luo|郑 zheng|梁 liang|谢 xie|宋 song|唐 tang|许 xu|邓 deng|韩 han|冯 feng|曹 cao|
彭 peng|肖 xiao|田 tian|董 dong|潘 pan|袁 yuan|蔡 cai|蒋 jiang|余 yu|于 yu|杜 du|叶 ye|程 cheng|魏 wei|苏 su|
吕 lv lu|丁 ding|卢 lu|姚 yao|钟 zhong|姜 jiang|崔 cui|谭 tan|陆 lu|范 fan|汪 wang|廖 liao|金 jin|韦 wei|
夏 xia|付 fu|方 fang|邹 zou|熊 xiong|白 bai|孟 meng|秦 qin|邱 qiu|侯 hou|江 jiang|尹 yin|薛 xue|闫 yan|段 duan|
雷 lei|龙 long|黎 li|史 shi|陶 tao|贺 he|毛 mao|郝 hao|顾 gu|龚 gong|邵 shao|万 wan|武 wu|钱 qian|戴 dai|严 yan|
莫 mo|孔 kong|向 xiang|常 chang|汤 tang|康 kang|易 yi|乔 qiao|赖 lai|文 wen|施 shi|洪 hong|辛 xin|柴 chai|
牛 niu|庞 pang|樊 fan|殷 yin|章 zhang|鲁 lu|岳 yue|齐 qi|倪 ni|詹 zhan|温 wen|申 shen|梅 mei|邢 xing|欧 ou|
包 bao|耿 geng|卞 bian|路 lu|司 si|宁 ning|滕 teng|关 guan|焦 jiao|柳 liu|蒲 pu|褚 chu|尚 shang|伍 wu|阮 ruan|
甘 gan|盛 sheng|左 zuo|安 an|伊 yi|凌 ling|翁 weng|苗 miao|成 cheng|谷 gu|祝 zhu|季 ji|俞 yu|房 fang|艾 ai|
傅 fu|姬 ji|涂 tu|屠 tu|靳 jin|时 shi|霍 huo|鲍 bao|连 lian|符 fu|项 xiang|骆 luo|冉 ran|宫 gong|巩 gong|桂 gui|
穆 mu|郁 yu|裴 pei|游 you|邬 wu|卓 zhuo|柯 ke|赫 he|吉 ji|沙 sha|荣 rong|饶 rao|芦 lu|娄 lou|楼 lou|麦 mai|
冷 leng|阎 yan|晏 yan|戚 qi|居 ju|邝 kuang|鞠 ju|窦 dou|童 tong|甄 zhen|权 quan|邰 tai|隋 sui|尤 you|宗 zong|
储 chu|景 jing|冀 ji|郎 lang|刁 diao|茅 mao|管 guan|诸 zhu|丛 cong|虞 yu|闵 min|奚 xi|祁 qi|蓝 lan|米 mi|鄢 yan|
舒 shu|水 shui|蔺 lin|农 nong|阳 yang|巫 wu|扈 hu|蒙 meng|全 quan|雍 yong|湛 zhan|国 guo|栾 luan|秋 qiu|
幸 xing|晋 jin|逄 pang|哈 ha|禹 yu|厍 she|訾 zi|阚 kan|麻 ma|佘 she|邸 di|苟 gou|亢 kang|佟 tong|揭 jie|花 hua|
元 yuan|门 men|池 chi|钮 niu|芮 rui|井 jing|宣 xuan|年 nian|桑 sang|晁 chao|裘 qiu|辜 gu|糜 mi|荀 xun|滑 hua|
寇 kou|母 mu|敖 ao|步 bu|岑 cen|古 gu|钦 qin|满 man|乌 wu|谈 tan|官 guan|明 ming|伏 fu|植 zhi|沃 wo|暴 bao|
劳 lao|危 wei|谯 qiao|庄 zhuang|鄂 e|党 dang|尧 yao|战 zhan|慎 shen|矫 jiao|纵 zong|昝 zan|商 shang|来 lai|
海 hai|边 bian|原 yuan|贝 bei|栗 li|双 shuang|屈 qu|练 lian|惠 hui|郦 li|师 shi|仲 zhong|巴 ba|习 xi|阙 que|
伦 lun|戈 ge|蹇 jian|衡 heng|东 dong|茹 ru|兰 lan|衣 yi|初 chu|嵇 ji|苑 yuan|祖 zu|杭 hang|封 feng|宾 bin|
迟 chi|智 zhi|束 shu|郜 gao|蒯 kuai|瞿 qu|凤 feng|卫 wei|毕 bi|喻 yu|闻 wen|仝 tong|帅 shuai|贡 gong|冒 mao|
雒 luo|索 suo|桓 huan|和 he|汝 ru|竺 zhu|萧 xiao|缑 gou|邴 bing|松 song|富 fu|弓 gong|牧 mu|隗 wei|山 shan|
车 che|宓 mi fu|蓬 peng|郗 xi|班 ban|仰 yang|仇 qiu|钭 tou|厉 li|戎 rong|韶 shao|蓟 ji|薄 bo|印 yin|宿 su|
怀 huai|从 cong|咸 xian|籍 ji|阴 yin|胥 xu|能 nai|苍 cang|莘 shen|翟 zhai|扶 fu|堵 du|宰 zai|却 que|璩 qu|濮 pu|
寿 shou|通 tong|燕 yan|郏 jia|浦 pu|别 bie|充 chong|慕 mu|宦 huan|鱼 yu|容 rong|庾 yu|终 zhong|暨 ji|都 du|
弘 hong|匡 kuang|广 guang|禄 lu|殳 shu|利 li|蔚 wei|越 yue|夔 kui|隆 long|聂 nie|勾 gou|融 rong|那 na|简 jian|
空 kong|曾 zeng|毋 wu|乜 nie|养 yang|须 xu|丰 feng|巢 chao|相 xiang|查 zha|后 hou|荆 jing|红 hong|逯 lu|
盖 ge gai|益 yi|公 gong|楚 chu|法 fa|况 kuang|有 you|琴 qin|归 gui|墨 mo|笪 da|爱 ai|言 yan|福 fu|代 dai|
牟 mou mu|昌 chang|丘 qiu|单 shan|解 xie|区 ou|朴 piao|覃 qin tan|缪 miao|繁 po|员 yun|种 chong|秘 bi|句 gou|
折 she|召 shao|过 guo|华 hua|任 ren|沈 shen|石 shi|葛 ge|贾 jia|柏 bai|卜 bu|臧 zang|冼 xian|尉 wei|纪 ji|
费 fei|贲 ben|奇 ji|藏 zang|占 zhan|长 chang|重 chong|阿 a|鲜 xian|强 qiang|郇 huan|洗 xian|祭 zhai|朝 chao|
黑 hei he|谌 chen shen|眭 sui|乐 yue le|应 ying|曲 qu";

fn parse(table: &str) -> impl Iterator<Item = (&str, Vec<&str>)> {
    table
        .split(['|', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .filter_map(|e| {
            let mut parts = e.split_whitespace();
            let name = parts.next()?;
            Some((name, parts.collect()))
        })
}

struct Tables {
    single: HashMap<char, Vec<&'static str>>,
    compound: HashMap<&'static str, Vec<&'static str>>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut single = HashMap::new();
        for (name, readings) in parse(SINGLE) {
            let mut chars = name.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                single.insert(c, readings);
            }
        }
        let compound = parse(COMPOUND).collect();
        Tables { single, compound }
    })
}

/// The readings of `c` as a surname, when it is a known surname.
pub fn single(c: char) -> Option<&'static [&'static str]> {
    tables().single.get(&c).map(Vec::as_slice)
}

/// The readings of a two-character compound surname, one per character.
pub fn compound(head: &str) -> Option<&'static [&'static str]> {
    tables().compound.get(head).map(Vec::as_slice)
}

/// Every single-character surname in the table (for tests and tools).
pub fn all_single() -> impl Iterator<Item = (char, &'static [&'static str])> {
    tables().single.iter().map(|(c, r)| (*c, r.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_a_character_with_plain_readings() {
        for (name, readings) in parse(SINGLE) {
            assert_eq!(name.chars().count(), 1, "{name}");
            assert!(!readings.is_empty(), "{name} has no reading");
            for r in readings {
                assert!(r.bytes().all(|b| b.is_ascii_lowercase()), "{name} {r}");
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (name, _) in parse(SINGLE).chain(parse(COMPOUND)) {
            assert!(seen.insert(name), "{name} is listed twice");
        }
        for (name, readings) in parse(COMPOUND) {
            assert_eq!(name.chars().count(), 2, "{name}");
            assert_eq!(readings.len(), 2, "{name}");
        }
    }

    #[test]
    fn the_table_covers_the_common_surnames() {
        // The 100 most common surnames of the 2020 census, all in the table.
        let top = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许邓韩冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤";
        for c in top.chars() {
            assert!(single(c).is_some(), "{c} is missing");
        }
        assert!(all_single().count() > 350);
    }

    #[test]
    fn rare_readings_are_not_surname_readings() {
        assert_eq!(single('丁'), Some(&["ding"][..]));
        assert_eq!(single('方'), Some(&["fang"][..]));
        assert_eq!(single('万'), Some(&["wan"][..]));
        assert_eq!(single('叶'), Some(&["ye"][..]));
        assert_eq!(single('乐'), Some(&["yue", "le"][..]));
        assert_eq!(compound("万俟"), Some(&["mo", "qi"][..]));
    }
}
