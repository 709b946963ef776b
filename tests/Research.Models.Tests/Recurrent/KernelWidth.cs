using Research.Models.Recurrent;

namespace Research.Models.Tests.Recurrent;

/// <summary>Runs a test with the C# kernels forced to one vector width, or asserts the refusal where the CPU lacks it.</summary>
internal static class KernelWidth
{
    /// <summary>Theory rows: each case at 256 and at 512 bits, with a boolean option off and then on.</summary>
    public static TheoryData<int, int, int, bool> EveryWidthAndFlag(params (int, int)[] cases)
    {
        var data = new TheoryData<int, int, int, bool>();
        foreach (var width in new[] { 256, 512 })
        {
            foreach (var (first, second) in cases)
            {
                data.Add(width, first, second, false);
                data.Add(width, first, second, true);
            }
        }
        return data;
    }

    public static void At(int width, Action compare)
    {
        if (width > LstmStepKernel.NativeWidth)
        {
            var refusal = Assert.Throws<NotSupportedException>(() => LstmStepKernel.UseWidth(width));
            Assert.Contains($"{width}-bit", refusal.Message);
            return;
        }
        try
        {
            LstmStepKernel.UseWidth(width);
            Assert.Equal(width, LstmStepKernel.VectorWidth);
            compare();
        }
        finally
        {
            LstmStepKernel.UseWidth(LstmStepKernel.NativeWidth);
        }
    }
}
