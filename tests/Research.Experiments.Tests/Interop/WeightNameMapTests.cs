using System.Collections;
using Research.Experiments.Config;
using Research.Experiments.Interop;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Runs;
using TorchSharp.PyBridge;

namespace Research.Experiments.Tests.Interop;

/// <summary>
/// model.init_map: a file whose tensors have other prefixes (lstm., embed., fc.) starts the configured model through a
/// YAML or JSON prefix map, exactly; every bad map is one line, exit 2, and no run folder.
/// </summary>
public sealed class WeightNameMapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-init-map").FullName;

    [Theory]
    [InlineData("map.yaml", "embed.: encoder.\nlstm.: rnn.\nfc.: decoder.\n")]
    [InlineData("map.json", """{"embed.": "encoder.", "lstm.": "rnn.", "fc.": "decoder."}""")]
    public void AFileWithOtherPrefixesStartsTheModelThroughTheMap(string name, string text)
    {
        var (theirs, source) = TheirFile();
        var map = Write(name, text);
        var config = TinyRuns.WriteConfig(_dir, TinyRuns.LanguageModel);
        var loaded = ConfigLoader.Load<ExperimentSettings>(config, [$"model.init_from={theirs}", $"model.init_map={map}"]);
        var started = ExperimentBuilder.Build(loaded.Value).Task.Model.state_dict();
        foreach (var (ours, tensor) in source.state_dict())
            Assert.True(InteropModels.Same(tensor, started[ours]), $"{ours} is not the file's tensor");
    }

    [Fact]
    public void EveryBadMapIsOneLineExit2AndNoRunFolder()
    {
        var (theirs, _) = TheirFile();
        var good = Write("good.yaml", "embed.: encoder.\nlstm.: rnn.\nfc.: decoder.\n");
        var cases = new (string[] overrides, string message)[]
        {
            ([$"model.init_from={theirs}", $"model.init_map={Path.Combine(_dir, "gone.yaml")}"], "gone.yaml: no such file (model.init_map)"),
            ([$"model.init_from={theirs}", $"model.init_map={Write("list.yaml", "- lstm.\n- rnn.\n")}"], "must be one mapping of source prefix to model prefix"),
            ([$"model.init_from={theirs}", $"model.init_map={Write("nested.yaml", "embed.: encoder.\nlstm.: [rnn.]\n")}"], "nested.yaml:2: an entry maps a non-empty source prefix"),
            ([$"model.init_from={theirs}", $"model.init_map={Write("unused.yaml", "embed.: encoder.\nlstm.: rnn.\nfc.: decoder.\ngru.: rnn.\n")}"], "unused.yaml:4: entry 'gru.' → 'rnn.' matches no tensor of"),
            ([$"model.init_from={theirs}", $"model.init_map={Write("typo.yaml", "embed.: encoder.\nlstm.: rnm.\nfc.: decoder.\n")}"],
                "tensor 'lstm.bias_hh_l0' maps to 'rnm.bias_hh_l0' (model.init_map), which the model does not have"),
            ([$"model.init_from={theirs}", $"model.init_map={good}", "model.hidden_size=10"],
                "tensor 'rnn.weight_ih_l0' (from 'lstm.weight_ih_l0', model.init_map) has shape [48, 8] in the file but [40, 8] in the model"),
            ([$"model.init_map={good}"], "renames the tensors of model.init_from, which is not set"),
            ([$"model.init_from={theirs}", $"model.init_map={Write("map.txt", "a: b\n")}"], "must name a .yaml, .yml or .json file"),
        };
        InteropModels.AssertEachTrainIsOneLineExit2WithoutARunFolder(_dir, cases);
    }

    /// <summary>A .pt file of the tiny config's model whose names are another code base's: embed., lstm., fc.</summary>
    private (string Path, Models.Language.LanguageModel Source) TheirFile()
    {
        var source = InteropModels.Word(vocabulary: 8, embedding: 8, hidden: 12, layers: 2);
        var renamed = new Hashtable();
        foreach (var (name, tensor) in source.state_dict())
            renamed[name.Replace("encoder.", "embed.", StringComparison.Ordinal).Replace("rnn.", "lstm.", StringComparison.Ordinal).Replace("decoder.", "fc.", StringComparison.Ordinal)] = tensor;
        var path = Path.Combine(_dir, "theirs.pt");
        PyTorchPickler.PickleStateDict(path, renamed);
        return (path, source);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
