using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>The L2 size the step kernel splits by, and the rule it splits by.</summary>
public sealed class CoreCacheTests
{
    [Fact]
    public void TheL2SizeIsSysfsThenCpuIdThenTheFallback()
    {
        var index = Directory.Exists("/sys/devices/system/cpu/cpu0/cache")
            ? Directory.EnumerateDirectories("/sys/devices/system/cpu/cpu0/cache", "index*")
                .FirstOrDefault(d => File.ReadAllText(Path.Combine(d, "level")).Trim() == "2" && File.ReadAllText(Path.Combine(d, "type")).Trim() != "Instruction")
            : null;
        if (index is null)
        {
            Assert.Equal(CoreCache.CpuIdL2Bytes() ?? 1L << 20, CoreCache.L2Bytes);
            return;
        }
        var size = File.ReadAllText(Path.Combine(index, "size")).Trim();
        var expected = size[^1] switch
        {
            'K' => long.Parse(size[..^1]) << 10,
            'M' => long.Parse(size[..^1]) << 20,
            _ => long.Parse(size),
        };
        Assert.Equal(expected, CoreCache.L2Bytes);
    }

    [Fact]
    public void CpuIdGivesAPlausibleL2WhereItGivesOne()
    {
        if (CoreCache.CpuIdL2Bytes() is { } bytes)
            Assert.InRange(bytes, 128L << 10, 64L << 20);
    }

    [Fact]
    public void RowsAreSplitWhileWhhFitsInL2AndEveryThreadHasFourRows()
    {
        var threads = get_num_threads();
        var fits = (int)Math.Sqrt(CoreCache.L2Bytes * 3 / 4 / 16);
        Assert.True(LstmStepKernel.SplitsRows(fits, 4 * threads));
        Assert.False(LstmStepKernel.SplitsRows(fits + 1, 4 * threads));
        Assert.False(LstmStepKernel.SplitsRows(fits, (4 * threads) - 1));
        var before = LstmStepKernel.ForcedRowSplit;
        try
        {
            LstmStepKernel.ForcedRowSplit = true;
            Assert.True(LstmStepKernel.SplitsRows(fits + 1, 1));
            LstmStepKernel.ForcedRowSplit = false;
            Assert.False(LstmStepKernel.SplitsRows(fits, 4 * threads));
        }
        finally
        {
            LstmStepKernel.ForcedRowSplit = before;
        }
    }
}
