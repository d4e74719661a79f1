#!/usr/bin/env python3
"""Writes jinshan-2024.json: the embedded demo day (2024-09-29, Jinshan main venue).

Every person is synthetic: names are drawn from common surnames and given-name characters,
phone numbers are made up. Institutions, themes and service points are the real ones of the
day, from the news report in shared/context. Deterministic: run it again, get the same file.
"""
import json
import random
import uuid

rng = random.Random(20240929)
NS = uuid.UUID("6f1d2f5e-1c1b-4b7e-9a0e-2024092900aa")

# Common surnames, plus the polyphonic ones a pinyin library reads wrong as surnames.
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
POLYPHONIC = ["单", "曾", "解", "仇", "查", "区", "朴", "盖", "覃", "尉迟", "万俟", "乐", "缪", "翟"]
GIVEN_M = ("志刚 建华 国强 海涛 晓东 文斌 明辉 伟民 立新 振华 永刚 俊杰 宏伟 学军 卫东 建平 晓峰 德明 "
           "家骏 浩然 一鸣 思远 泽宇 兆国 泽光 智光 志远 鹏飞 振宇 立群 春生 汉青 正阳 晨曦 "
           "斌 磊 伟 军 涛 峰 喆 堃 昊 强 勇 超").split()
GIVEN_F = ("秀英 丽华 晓燕 静怡 雪梅 婷婷 慧敏 佳颖 文静 艳红 瑞琪 晓雯 思琪 雨萱 梦洁 丽娟 "
           "海燕 玉兰 晓红 亚楠 美玲 雅琴 素芳 冬梅 若曦 "
           "婕 琳 珺 静 敏 洁 琦 颖 倩 蕾").split()
ORGS = [
    "上海交通大学", "华东理工大学", "东华大学", "上海师范大学", "复旦大学", "同济大学",
    "华东师范大学", "上海大学", "上海理工大学", "上海海事大学",
    "中国科学院上海有机化学研究所", "中国科学院上海硅酸盐研究所",
    "上海市第六人民医院", "复旦大学附属中山医院", "上海交通大学医学院附属瑞金医院",
    "上海市经济和信息化发展研究中心", "上海飞机设计研究院", "上海化工研究院有限公司",
    "上海社会科学院", "上海市农业科学院", "上海建工集团股份有限公司", "上海市律师协会",
]
TITLES = ["教授", "研究员", "副教授", "副研究员", "主任医师", "副主任医师", "高级工程师",
          "教授级高级工程师", "律师", "高级经济师", "副院长", "总工程师"]
PARTIES = ["民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟", "无党派人士"]
PARTY_WEIGHTS = [8, 16, 10, 12, 10, 6, 18, 2, 18]

THEMES = [
    ("theme-dikong", "低空经济"),
    ("theme-xincailiao", "新材料"),
    ("theme-shengwu", "生物医药"),
    ("theme-wenlv", "文旅产业"),
    ("theme-xiangcun", "乡村振兴"),
]
FIELDS = {
    "theme-dikong": ["航空器设计", "无人机系统", "空中交通管理", "导航与控制"],
    "theme-xincailiao": ["高分子材料", "电子化学品", "复合材料", "化学工程"],
    "theme-shengwu": ["药物化学", "临床医学", "生物制药", "医疗器械"],
    "theme-wenlv": ["旅游管理", "文化遗产", "城市规划", "会展经济"],
    "theme-xiangcun": ["农业经济", "乡村规划", "生态环境", "农村法律服务"],
}
POINTS = [
    # id, theme, name, short, address, capacity, bus
    ("2024-jinshan-p1", "theme-dikong", "上海御风未来航空科技有限公司", "御风未来",
     "金山区 华东无人机基地", 20, "1号车"),
    ("2024-jinshan-p2", "theme-xincailiao", "上海天承化学有限公司", "天承化学",
     "金山区 上海化学工业区", 20, "2号车"),
    ("2024-jinshan-p3", "theme-shengwu", "张江金山园", "张江金山园",
     "金山区 张江长三角科技城金山园", 22, "3号车"),
    ("2024-jinshan-p4", "theme-wenlv", "上海乐高乐园度假区建设指挥部", "乐高乐园",
     "金山区 枫泾镇", 19, "4号车"),
    ("2024-jinshan-p5", "theme-xiangcun", "山塘村", "山塘村",
     "金山区 廊下镇山塘村", 21, "5号车"),
]
CONTACTS = ["周晓雯", "沈立新", "顾佳颖", "陆文斌", "倪思远"]


def name(gender):
    if rng.random() < 0.16:
        s = rng.choice(POLYPHONIC)
    else:
        s = rng.choice(SURNAMES)
    g = rng.choice(GIVEN_M if gender == "男" else GIVEN_F)
    if len(s) == 2 and len(g) == 2:
        g = g[0]
    return s + g


def phone(i):
    prefix = rng.choice(["138", "139", "137", "136", "135", "158", "186", "189", "177"])
    return prefix + f"{rng.randint(0, 9999):04d}" + f"{(i * 7919) % 10000:04d}"


def main():
    experts = []
    seen = set()
    i = 0
    while len(experts) < 120:
        i += 1
        gender = rng.choice(["男", "男", "女"])
        n = name(gender)
        if n in seen:
            continue
        seen.add(n)
        code = f"E-{len(experts) + 1:04d}"
        experts.append({
            "id": str(uuid.uuid5(NS, code)),
            "code": code,
            "name": n,
            "gender": gender,
            "party": rng.choices(PARTIES, PARTY_WEIGHTS)[0],
            "organisation": rng.choice(ORGS),
            "title": rng.choice(TITLES),
            "field": "",
            "phone": phone(i),
            "notes": "",
        })
    # Two people with the same name in different institutions: the desk must tell them apart.
    twin = dict(experts[7])
    twin.update(code="E-0121", id=str(uuid.uuid5(NS, "E-0121")),
                organisation="上海市第六人民医院" if experts[7]["organisation"] != "上海市第六人民医院" else "同济大学",
                title="主任医师", phone=phone(999))
    experts.append(twin)

    signups = []
    idx = 0
    order = list(range(len(experts)))
    rng.shuffle(order)
    for pid, theme, _, _, _, cap, _ in POINTS:
        for _ in range(cap):
            e = experts[order[idx]]
            idx += 1
            e["field"] = rng.choice(FIELDS[theme])
            signups.append({"expert": e["code"], "point": pid, "status": "registered"})
    # A short waiting list, then plenary-only experts (no service point).
    for k in range(6):
        e = experts[order[idx]]
        idx += 1
        pid = POINTS[k % 5][0]
        e["field"] = rng.choice(FIELDS[POINTS[k % 5][1]])
        signups.append({"expert": e["code"], "point": pid, "status": "waiting"})
    while idx < len(experts):
        e = experts[order[idx]]
        idx += 1
        signups.append({"expert": e["code"], "point": None, "status": "registered"})

    # A few early arrivals, 08:31–08:52 local (UTC+8).
    registered = [s["expert"] for s in signups if s["status"] == "registered"]
    checkins = []
    for k, code in enumerate(rng.sample(registered, 9)):
        minute = 31 + k * 2 + rng.randint(0, 1)
        checkins.append({
            "id": str(uuid.uuid5(NS, "checkin-" + code)),
            "expert": code,
            "at": f"2024-09-29T00:{minute:02d}:{rng.randint(0, 59):02d}.000Z",
            "desk": "1号台",
            "method": rng.choice(["search", "scan", "scan"]),
        })

    data = {
        "about": "同心签到演示数据：2024年9月29日金山主会场。人员均为虚构，手机号为编造。",
        "event": {
            "id": "2024-jinshan",
            "name": "2024年上海党外知识分子专家服务日",
            "short_name": "金山主会场",
            "kind": "main",
            "date": "2024-09-29",
            "place": "上海市金山区",
        },
        "themes": [{"id": t, "name": n, "sort_order": k + 1} for k, (t, n) in enumerate(THEMES)],
        "points": [
            {"id": pid, "theme_id": theme, "name": nm, "short_name": short, "address": addr,
             "contact": CONTACTS[k], "contact_phone": f"021-5729{1000 + k * 37:04d}",
             "capacity": cap, "depart_time": "13:00", "bus": bus, "sort_order": k + 1}
            for k, (pid, theme, nm, short, addr, cap, bus) in enumerate(POINTS)
        ],
        "experts": experts,
        "signups": signups,
        "checkins": checkins,
    }
    with open("jinshan-2024.json", "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
