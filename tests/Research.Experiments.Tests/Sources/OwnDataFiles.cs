using System.Globalization;
using System.Text;

namespace Research.Experiments.Tests.Sources;

/// <summary>
/// A researcher's own files, generated in a fresh temporary folder: a UTF-8 text, a word corpus folder, a headerless
/// 8-column numeric file without a time column, a monthly CSV labelled "1-01", a daily CSV with two missing days;
/// and a small config for each. Deleted on dispose.
/// </summary>
public sealed class OwnDataFiles : IDisposable
{
    public static readonly string[] Currencies = ["AUD", "GBP", "CAD", "CHF", "CNY", "JPY", "NZD", "SGD"];

    private const string TinyLanguageModel = """
        model: {embedding_size: 8, hidden_size: 16, layers: 1}
        train: {epochs: 1, max_steps: 3, batch_size: 4, eval_batch_size: 2, bptt: 10, optimizer: adam, lr: 0.01, log_every: 1000}
        """;

    private const string TinyForecaster = """
        model: {hidden_size: 8, layers: 1}
        train: {epochs: 1, max_steps: 3, batch_size: 16, eval_batch_size: 32, optimizer: adam, lr: 0.01, log_every: 1000}
        """;

    public OwnDataFiles()
    {
        var random = new Random(7);
        string[] words = ["über", "naïve", "café", "Straße", "東京", "λόγος", "river", "stone", "light", "the", "of"];
        Write("poem.txt", string.Join('\n', Enumerable.Range(0, 200).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(3, 9)).Select(_ => words[random.Next(words.Length)])))) + "\n");

        Directory.CreateDirectory(Path("corpus"));
        string Paragraphs(int lines) => string.Join('\n', Enumerable.Range(0, lines).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(4, 10)).Select(_ => $"w{random.Next(40)}")))) + "\n";
        Write("corpus/train.txt", Paragraphs(150));
        Write("corpus/valid.txt", Paragraphs(20) + "a word unseen in train\n");
        Write("corpus/test.txt", Paragraphs(20));

        var rates = new StringBuilder();
        for (var t = 0; t < 300; t++)
            rates.AppendJoin(',', Enumerable.Range(0, 8).Select(c => (1 + (0.1 * Math.Sin((t / 20.0) + c))).ToString("F6", CultureInfo.InvariantCulture))).Append('\n');
        Write("exchange_rate.txt", rates.ToString());

        var sales = new StringBuilder("\"Month\",\"Sales\"\n");
        for (var i = 0; i < 60; i++)
            sales.Append(CultureInfo.InvariantCulture, $"\"{1 + (i / 12)}-{1 + (i % 12):00}\",{100 + (3 * i) + (20 * Math.Sin(i * Math.PI / 6)):F1}\n");
        Write("shampoo.csv", sales.ToString());

        var daily = new StringBuilder("date,load,temp\n");
        for (var i = 0; i < 120; i++)
        {
            if (i is 40 or 90)
                continue; // 2021-02-10 and 2021-04-01 are missing
            daily.Append(CultureInfo.InvariantCulture, $"{new DateTime(2021, 1, 1).AddDays(i):yyyy-MM-dd},{10 + Math.Sin(2 * Math.PI * i / 7):F3},{15 + (i % 10)}\n");
        }
        Write("daily.csv", daily.ToString());

        Config("char.yaml", $"experiment: poem\ntask: language_model\ndata: {{path: {Path("poem.txt")}, level: char}}\n{TinyLanguageModel}");
        Config("word.yaml", $"experiment: words\ntask: language_model\ndata: {{path: {Path("corpus")}}}\n{TinyLanguageModel}");
        Config("exchange.yaml", $"""
            experiment: exchange
            task: forecast
            data:
              path: {Path("exchange_rate.txt")}
              header: false
              columns: [{string.Join(", ", Currencies)}]
              time_column: null
              frequency: 1d
              lookback: 24
              horizon: 6
            {TinyForecaster}
            """);
        Config("shampoo.yaml", $"""
            experiment: shampoo
            task: forecast
            data:
              path: {Path("shampoo.csv")}
              time_column: Month
              time_format: [y-MM]
              two_digit_year_start: 2000
              targets: [Sales]
              split: counts
              split_counts: [36, 12, 12]
              lookback: 6
              horizon: 3
            {TinyForecaster}
            """);
        Config("daily.yaml", $"""
            experiment: daily
            task: forecast
            data:
              path: {Path("daily.csv")}
              targets: [load]
              covariates: [temp]
              lookback: 14
              horizon: 7
            {TinyForecaster}
            """);
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("research-own-data-").FullName;

    public string Runs => Path("runs");

    public string Path(string name) => System.IO.Path.Combine(Root, name);

    public string Write(string name, string text)
    {
        File.WriteAllText(Path(name), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return Path(name);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void Config(string name, string yaml) => Write(name, yaml);
}
