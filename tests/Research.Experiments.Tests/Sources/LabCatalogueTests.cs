using System.Security.Cryptography;
using System.Text.Json;
using Research.Experiments.Tests.Runs;

namespace Research.Experiments.Tests.Sources;

/// <summary>A lab's catalogue: `research data add` prints the entry, and the entry is then a dataset like the built-in ones.</summary>
public sealed class LabCatalogueTests : IDisposable
{
    private readonly OwnDataFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Add_prints_the_entry_with_each_files_sha256()
    {
        var (code, stdout, stderr) = TinyRuns.InProcess("data", "add", "lab-daily", _files.Path("daily.csv"), _files.Path("shampoo.csv"), "--url", "https://lab.example.org/data/");
        Assert.True(code == 0, stderr);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_files.Path("daily.csv"))));
        Assert.Contains($"""
              - name: lab-daily
                description: ""
                files:
                  - name: "daily.csv"
                    url: "https://lab.example.org/data/daily.csv"
                    sha256: {sha}
                    bytes: {new FileInfo(_files.Path("daily.csv")).Length}
            """, stdout, StringComparison.Ordinal);
        Assert.Contains("- name: \"shampoo.csv\"", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ett", "'ett' is already a registered dataset")]
    [InlineData("markov", "'markov' is a built-in generator")]
    [InlineData("../up", "'../up' cannot name a dataset")]
    public void Add_needs_an_unused_plain_name(string name, string expected)
    {
        var (code, _, stderr) = TinyRuns.InProcess("data", "add", name, _files.Path("daily.csv"));
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catalogued_dataset_is_listed_verified_trained_on_and_checked()
    {
        var (_, entry, _) = TinyRuns.InProcess("data", "add", "lab-daily", _files.Path("daily.csv"));
        var catalogue = _files.Write("lab.yaml", entry);
        var mirror = _files.Path("mirror");
        Directory.CreateDirectory(Path.Combine(mirror, "lab-daily"));
        File.Copy(_files.Path("daily.csv"), Path.Combine(mirror, "lab-daily", "daily.csv"));

        var (code, stdout, stderr) = TinyRuns.InProcess("data", "list", "--catalogue", catalogue, "--data-dir", mirror);
        Assert.True(code == 0, stderr);
        Assert.Contains("| lab-daily ", stdout, StringComparison.Ordinal);
        (code, stdout, stderr) = TinyRuns.InProcess("data", "verify", "lab-daily", "--catalogue", catalogue, "--data-dir", mirror);
        Assert.True(code == 0, stdout + stderr);

        string[] asLab = [$"data.path=null", "data.name=lab-daily", $"data.catalogue={catalogue}", $"data.dir={mirror}", "data.fill_missing=forward"];
        (code, stdout, stderr) = TinyRuns.InProcess(["train", _files.Path("daily.yaml"), "--runs-dir", _files.Runs, .. asLab]);
        Assert.True(code == 0, stderr + stdout);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyRuns.OnlyRun(_files.Runs, "daily"), "summary.json"))))
        {
            Assert.Equal("lab-daily", summary.RootElement.GetProperty("dataset").GetString());
            Assert.Equal("registered", summary.RootElement.GetProperty("dataset_source").GetString());
            Assert.Equal(Path.Combine(mirror, "lab-daily", "daily.csv"), summary.RootElement.GetProperty("dataset_files")[0].GetProperty("path").GetString());
        }

        // Other bytes under the catalogued name are refused at training time, before any run folder.
        File.AppendAllText(Path.Combine(mirror, "lab-daily", "daily.csv"), "2021-05-01,1,1\n");
        (code, _, stderr) = TinyRuns.InProcess(["train", _files.Path("daily.yaml"), "--runs-dir", _files.Path("runs2"), .. asLab]);
        Assert.Equal(2, code);
        Assert.Contains("but dataset 'lab-daily' pins", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_files.Path("runs2")));
    }

    [Fact]
    public void A_catalogue_cannot_redefine_a_built_in_dataset()
    {
        var catalogue = _files.Write("lab.yaml", $"datasets:\n  - name: ptb\n    files:\n      - {{name: a.txt, sha256: {new string('a', 64)}}}\n");
        var (code, _, stderr) = TinyRuns.InProcess("data", "list", "--catalogue", catalogue);
        Assert.Equal(2, code);
        Assert.Contains("dataset 'ptb' is already a built-in dataset", stderr, StringComparison.Ordinal);

        catalogue = _files.Write("typo.yaml", "datasets:\n  - name: x\n    fils: []\n");
        (code, _, stderr) = TinyRuns.InProcess("data", "list", "--catalogue", catalogue);
        Assert.Equal(2, code);
        Assert.Contains("typo.yaml:3: datasets[0].fils: unknown key (did you mean datasets[0].files?)", stderr, StringComparison.Ordinal);
    }
}
