using Research.Experiments.Config;
using Research.Experiments.Runs;
using Research.Experiments.Settings;
using Research.Experiments.Tests.Forecasting;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Runs;

/// <summary>`threads` is applied by every experiment built in a process, not only by the first.</summary>
[Collection(InProcessCollection.Name)]
public sealed class ThreadSettingTests
{
    [Fact]
    public void ASecondExperimentDoesNotInheritTheFirstOnesThreadCount()
    {
        ExperimentSettings Settings(int threads) =>
            ConfigLoader.LoadFromString<ExperimentSettings>(TinyRuns.LanguageModel, [$"threads={threads}"]).Value;
        ExperimentBuilder.Build(Settings(0));
        var libtorchs = get_num_threads();
        try
        {
            ExperimentBuilder.Build(Settings(1));
            Assert.Equal(1, get_num_threads());
            ExperimentBuilder.Build(Settings(0));
            Assert.Equal(libtorchs, get_num_threads());
        }
        finally
        {
            set_num_threads(libtorchs);
        }
    }
}
