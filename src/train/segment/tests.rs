//! Segmentation against Python jieba 0.42.1's known cuts (same dictionary, HMM on), mixed
//! Chinese/English lines, full-width punctuation, auto detection, and the corpus hook.
use super::*;
use crate::train::{Corpus, ReadOptions};

/// (line, words, whether the words are exactly Python jieba's `cut(line)` without the
/// whitespace tokens). Expected words made by Python jieba 0.42.1: each whitespace token with
/// a Chinese character through `jieba.cut(token)`, every other token as it is.
#[cfg(feature = "zh")]
const JIEBA: &[(&str, &[&str], bool)] = &[
    (
        "我来到北京清华大学",
        &["我", "来到", "北京", "清华大学"],
        true,
    ),
    (
        "他来到了网易杭研大厦",
        &["他", "来到", "了", "网易", "杭研", "大厦"],
        true,
    ),
    (
        "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
        &[
            "小明",
            "硕士",
            "毕业",
            "于",
            "中国科学院",
            "计算所",
            "，",
            "后",
            "在",
            "日本京都大学",
            "深造",
        ],
        true,
    ),
    (
        "结过婚的和尚未结过婚的",
        &["结过婚", "的", "和", "尚未", "结过婚", "的"],
        true,
    ),
    (
        "我用Python写了一个word2vec程序，速度是C版本的2.5倍。",
        &[
            "我用", "Python", "写", "了", "一个", "word2vec", "程序", "，", "速度", "是", "C",
            "版本", "的", "2.5", "倍", "。",
        ],
        true,
    ),
    (
        "打开文件，然后选择“另存为”！",
        &[
            "打开",
            "文件",
            "，",
            "然后",
            "选择",
            "“",
            "另存为",
            "”",
            "！",
        ],
        true,
    ),
    (
        "使用 apt-get install 安装软件包（需要 root 权限）。",
        &[
            "使用",
            "apt-get",
            "install",
            "安装",
            "软件包",
            "（",
            "需要",
            "root",
            "权限",
            "）",
            "。",
        ],
        false,
    ),
    (
        "今天天气不错：温度25℃，湿度60%。",
        &[
            "今天天气",
            "不错",
            "：",
            "温度",
            "25",
            "℃",
            "，",
            "湿度",
            "60%",
            "。",
        ],
        true,
    ),
    (
        "臺灣的繁體中文也能切分嗎？",
        &["臺", "灣的", "繁體", "中文", "也", "能", "切分", "嗎", "？"],
        true,
    ),
    (
        "Linux 系统是一个面向网络计算机的功能强大的计算平台。",
        &[
            "Linux",
            "系统",
            "是",
            "一个",
            "面向",
            "网络计算机",
            "的",
            "功能强大",
            "的",
            "计算",
            "平台",
            "。",
        ],
        true,
    ),
    (
        // A Latin word next to full-width punctuation is cut from it, as Python jieba cuts it.
        "用 readline，然后 （GNU） on，",
        &[
            "用", "readline", "，", "然后", "（", "GNU", "）", "on", "，",
        ],
        true,
    ),
    (
        "hello, world! 你好，世界",
        &["hello,", "world!", "你好", "，", "世界"],
        false,
    ),
    (
        "用户可以在目录中创建新的文件和子目录",
        &[
            "用户",
            "可以",
            "在",
            "目录",
            "中",
            "创建",
            "新",
            "的",
            "文件",
            "和",
            "子目录",
        ],
        true,
    ),
];

#[cfg(feature = "zh")]
#[test]
fn cuts_are_jiebas() {
    let seg = Segmenter::new().unwrap();
    for (line, want, _) in JIEBA {
        assert_eq!(seg.cut(line), *want, "{line}");
        let mut joined = String::new();
        seg.segment_line(line, &mut joined);
        assert_eq!(joined, want.join(" "), "{line}");
    }
    // Characters are never changed: the words put together give the line back without its
    // whitespace (traditional characters stay traditional).
    for (line, want, _) in JIEBA {
        let squeezed: String = line.split_whitespace().collect();
        assert_eq!(want.concat(), squeezed);
    }
}

#[cfg(feature = "zh")]
#[test]
fn latin_tokens_keep_whitespace_tokenisation() {
    let seg = Segmenter::new().unwrap();
    // Without a Chinese character a token is left exactly as whitespace splitting gives it
    // (jieba alone would cut "apt-get" into "apt", "-", "get" and "hello," into two).
    assert_eq!(
        seg.cut("  hello, world!\tapt-get   e.g. 3.14 "),
        ["hello,", "world!", "apt-get", "e.g.", "3.14"]
    );
    // Ideographic spaces (U+3000) separate words like spaces.
    assert_eq!(seg.cut("打开\u{3000}文件"), ["打开", "文件"]);
    assert!(seg.cut(" \t ").is_empty());
}

#[cfg(feature = "zh")]
#[test]
fn user_dictionary_adds_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.txt");
    std::fs::write(
        &path,
        "\u{feff}云计算 5\n创新办 3 i\n\n# a comment\n李小福\n",
    )
    .unwrap();
    let line = "李小福是创新办主任也是云计算方面的专家";
    // Python jieba 0.42.1, before and after `jieba.load_userdict` of the same file.
    let plain = Segmenter::new().unwrap();
    assert_eq!(
        plain.cut(line),
        [
            "李小福",
            "是",
            "创新",
            "办",
            "主任",
            "也",
            "是",
            "云",
            "计算",
            "方面",
            "的",
            "专家"
        ]
    );
    let user = Segmenter::with_user_dict(&path).unwrap();
    assert_eq!(
        user.cut(line),
        [
            "李小福",
            "是",
            "创新办",
            "主任",
            "也",
            "是",
            "云计算",
            "方面",
            "的",
            "专家"
        ]
    );
    // The shared default dictionary is not changed by a user dictionary.
    assert_eq!(plain.cut(line).len(), 12);
    // A bad frequency: the file and the line.
    std::fs::write(&path, "云计算 5\n创新办 lots\n").unwrap();
    let e = Segmenter::with_user_dict(&path).unwrap_err().to_string();
    assert!(e.contains("user.txt:2") && e.contains("lots"), "{e}");
    let e = Segmenter::with_user_dict(&dir.path().join("missing.txt")).unwrap_err();
    assert!(e.to_string().contains("missing.txt"), "{e}");
}

#[test]
fn cjk_detection() {
    assert!(is_cjk('中') && is_cjk('臺') && is_cjk('\u{3400}') && is_cjk('\u{20000}'));
    assert!(!is_cjk('a') && !is_cjk('，') && !is_cjk('あ') && !is_cjk('한'));
    assert!(has_cjk("abc中") && !has_cjk("abc, 123") && !has_cjk("こんにちは"));
    assert_eq!(cjk_share(""), 0.0);
    assert_eq!(cjk_share("ab 中文"), 0.5);
    assert_eq!(cjk_share(" \n "), 0.0);
}

#[test]
fn auto_detection_samples_each_file_of_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let en = write(
        "en.txt",
        &"the quick brown fox jumps over the lazy dog\n".repeat(100),
    );
    let zh = write("zh.txt", &"我来到北京清华大学。\n".repeat(100));
    // English with a few Chinese names: under the threshold.
    let few = write(
        "few.txt",
        &"the author 李 wrote this line in english words\n".repeat(50),
    );
    assert!(!detect(std::slice::from_ref(&en)).unwrap());
    assert!(detect(std::slice::from_ref(&zh)).unwrap());
    assert!(!detect(std::slice::from_ref(&few)).unwrap());
    // Several files are read in order: English first, then Chinese, both within the window.
    assert!(detect(&[en.clone(), zh.clone()]).unwrap());
    // Chinese after two megabytes of English is seen (the file's end is sampled), and
    // Chinese in a second file after a long English one.
    let long_en = "the quick brown fox jumps over the lazy dog\n".repeat(AUTO_BYTES / 20);
    let late = write("late.txt", &format!("{long_en}{}", "中文".repeat(100_000)));
    assert!(detect(std::slice::from_ref(&late)).unwrap());
    let long = write("long.txt", &long_en);
    assert!(!detect(std::slice::from_ref(&long)).unwrap());
    assert!(detect(&[long.clone(), zh.clone()]).unwrap());
    // A few Chinese lines inside a long English file stay under the threshold.
    let mid = format!("{long_en}{}{long_en}", "中文\n".repeat(20));
    assert!(!detect(&[write("mid.txt", &mid)]).unwrap());
    // gzip is decompressed first.
    let gz = dir.path().join("zh.txt.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, "我来到北京清华大学。\n".repeat(100).as_bytes()).unwrap();
    std::fs::write(&gz, e.finish().unwrap()).unwrap();
    assert!(detect(&[gz]).unwrap());
    let e = detect(&[dir.path().join("nope.txt")]).unwrap_err();
    assert!(e.to_string().contains("nope.txt"));
    assert_eq!("AUTO".parse::<Segment>(), Ok(Segment::Auto));
    assert!("klingon".parse::<Segment>().is_err());
}

#[cfg(feature = "zh")]
#[test]
fn corpus_reader_segments_on_any_number_of_threads() {
    let text: String = JIEBA
        .iter()
        .map(|(l, _, _)| format!("{l}\n"))
        .collect::<String>()
        .repeat(30);
    let seg = Segmenter::new().unwrap();
    let one = Corpus::from_text_segmented(&text, ReadOptions::default(), Some((&seg, 1)));
    let v = one.vocabulary(1, None);
    for word in ["清华大学", "打开", "文件", "apt-get", "，", "Python"] {
        assert!(v.words.iter().any(|w| w == word), "{word} missing");
    }
    assert!(!v.words.iter().any(|w| w == "我来到北京清华大学"));
    let tokens: usize = JIEBA.iter().map(|(_, w, _)| w.len()).sum();
    assert_eq!(one.stats().tokens, 30 * tokens as u64);
    assert_eq!(one.stats().sentences, 30 * JIEBA.len() as u64);
    // The same words in the same order from a file read on several threads.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("zh.txt");
    std::fs::write(&p, &text).unwrap();
    for threads in [1, 3] {
        let c = Corpus::read_segmented(
            std::slice::from_ref(&p),
            ReadOptions::default(),
            Some((&seg, threads)),
            None,
        )
        .unwrap();
        let cv = c.vocabulary(1, None);
        assert_eq!(cv.words, v.words);
        assert_eq!(c.encode(&cv), one.encode(&v));
    }
    // Pre-segmented text read without segmentation gives the same corpus.
    let pre: String = JIEBA
        .iter()
        .map(|(_, w, _)| format!("{}\n", w.join(" ")))
        .collect::<String>()
        .repeat(30);
    let plain = Corpus::from_text(&pre, ReadOptions::default());
    assert_eq!(plain.vocabulary(1, None).words, v.words);
}

#[cfg(feature = "zh")]
#[test]
fn phrases_and_expressions_cut_chinese_the_same_way() {
    use crate::query::{expression, phrase, test_util::space};
    let s = space(&[
        ("打开", &[1.0, 0.0, 0.0, 0.0]),
        ("文件", &[0.0, 2.0, 0.0, 0.0]),
        ("目录", &[0.0, 0.0, 1.0, 0.0]),
        ("网络", &[0.0, 0.3, 0.0, 1.0]),
        ("打开文件夹", &[1.0, 1.0, 1.0, 1.0]),
    ]);
    let spaced = phrase(&s, "打开 文件");
    assert!(spaced.vector.is_some());
    for text in ["打开文件", "打开文件。", "“打开文件”"] {
        let p = phrase(&s, text);
        assert_eq!(p.vector, spaced.vector, "{text}");
        let words: Vec<&str> = p.tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["打开", "文件"], "{text}");
    }
    // A word the space has as written is not cut.
    let whole = phrase(&s, "打开文件夹");
    assert_eq!(whole.known_count(), 1);
    assert_ne!(whole.vector, spaced.vector);
    // Expressions: a bare Chinese word the space lacks stands for its words' mean, like the
    // quoted phrase with spaces.
    let a = expression(&s, "打开文件 - 目录", 5, true).unwrap();
    let b = expression(&s, "\"打开 文件\" - 目录", 5, true).unwrap();
    assert_eq!(a.hits, b.hits);
    assert_eq!(a.terms[0].word, "打开 文件");
    let c = expression(&s, "打开文件夹 + 网络", 5, false).unwrap();
    assert_eq!(c.terms[0].word, "打开文件夹");
    // An unknown Chinese word still fails, naming a piece the space lacks.
    let e = expression(&s, "打开数据库", 5, false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("数据库"), "{e}");
    // similarity, analogy (and so rank and similar) read a compound the same way.
    use crate::query::{analogy, similar, similarity, Method};
    let (one, two, cos) = similarity(&s, "打开文件", "网络").unwrap();
    let (_, _, spaced_cos) = similarity(&s, "打开 文件", "网络").unwrap();
    assert_eq!(cos, spaced_cos);
    assert_eq!(
        one.averaged,
        Some(vec!["打开".to_string(), "文件".to_string()])
    );
    assert_eq!(two.index, Some(3));
    let a = analogy(&s, "目录", "打开文件", "网络", 3, Method::Add, false).unwrap();
    let b = expression(&s, "打开文件 - 目录 + 网络", 3, false).unwrap();
    assert_eq!(a.hits, b.hits);
    assert_eq!(a.excluded, [0, 1, 2, 3]);
    let n = similar(&s, &["打开文件"], 3).unwrap();
    assert_eq!(n.excluded, [0, 1]);
}
