using Research.Experiments.Cli;
using Research.Experiments.Commands;

namespace Research.Experiments;

public static class Program
{
    public static readonly IReadOnlyList<ICommand> Commands =
    [
        new CompareLstmCommand(),
        new DataCommand(),
        new TrainCommand(),
        new GenerateCommand(),
        new InspectCommand(),
        new ForecastCommand(),
        new ExportCommand(),
        new BenchCommand(),
        new ReproduceCommand(),
        new SweepCommand(),
    ];

    public static int Main(string[] args) => CommandLineApp.Run(Commands, args, Console.Out, Console.Error);
}
