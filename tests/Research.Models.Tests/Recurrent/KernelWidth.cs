using Research.Models.Recurrent;

namespace Research.Models.Tests.Recurrent;

/// <summary>Runs a test with the C# kernels forced to one vector width, or asserts the refusal where the CPU lacks it.</summary>
internal static class KernelWidth
{
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
