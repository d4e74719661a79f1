//! The window's own face, Tongxin Sans (assets/fonts/README.md): cut down to GB 2312 and what
//! the UI writes, so that the web process holds a compact file instead of mapping the system's
//! 17 MB faces around each character. A label added to the UI with a character the cut lacks
//! would quietly come from the system's face again; a cut that dropped part of GB 2312 would
//! send common names there. Both are checked here, for each weight.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Characters that draw nothing themselves (joiners, variation selectors, marks of direction,
/// the byte-order mark): no face needs a glyph for them.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

fn ui_characters(dir: &Path, into: &mut Vec<(char, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            ui_characters(&path, into);
        } else if path
            .extension()
            .is_some_and(|e| e == "js" || e == "html" || e == "css")
        {
            let text = std::fs::read_to_string(&path).unwrap();
            let file = path.display().to_string();
            into.extend(
                text.chars()
                    .filter(|c| !c.is_ascii() && !c.is_control() && !invisible(*c))
                    .map(|c| (c, file.clone())),
            );
        }
    }
}

/// Symbols the UI writes that Noto Sans CJK itself has no glyph for (so neither has the cut):
/// the stack's later faces draw them (DejaVu Sans on Debian), as before the cut.
const NOT_IN_NOTO: &str = "⇪⎙◍⌂↵✕";

/// The 6,763 hanzi of GB 2312 (rows B0–F7), read through GBK, of which GB 2312 is the core.
fn gb2312_hanzi() -> Vec<char> {
    let mut bytes = Vec::new();
    for hi in 0xB0u8..=0xF7 {
        for lo in 0xA1u8..=0xFE {
            bytes.extend([hi, lo]);
        }
    }
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    text.chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .collect()
}

#[test]
fn the_windows_face_has_every_character_the_ui_writes_and_every_hanzi_of_gb2312() {
    let mut written = Vec::new();
    ui_characters(&repo().join("ui"), &mut written);
    assert!(written.len() > 1000, "the UI's own text was not found");
    let hanzi = gb2312_hanzi();
    assert_eq!(hanzi.len(), 6763);
    for weight in ["Regular", "Bold"] {
        let data =
            std::fs::read(repo().join(format!("assets/fonts/TongxinSans-{weight}.otf"))).unwrap();
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let family = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode())
            .and_then(|n| n.to_string());
        assert_eq!(family.as_deref(), Some("Tongxin Sans"));
        let lacks = |c: char| face.glyph_index(c).is_none_or(|g| g.0 == 0);
        let missing: Vec<_> = written
            .iter()
            .filter(|(c, _)| lacks(*c) && !NOT_IN_NOTO.contains(*c))
            .collect();
        assert!(
            missing.is_empty(),
            "Tongxin Sans {weight} lacks characters the UI writes (cut it again, see \
             assets/fonts/README.md): {missing:?}"
        );
        let missing: String = hanzi.iter().copied().filter(|&c| lacks(c)).collect();
        assert!(
            missing.is_empty(),
            "{weight} lacks GB 2312 hanzi: {missing}"
        );
    }
}
