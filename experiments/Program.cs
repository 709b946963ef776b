using System.CommandLine;
using Research.Experiments.Cli;
using Research.Experiments.Commands;

namespace Research.Experiments;

public static class Program
{
    public static readonly IReadOnlyList<Command> Commands =
    [
        CompareLstmCommand.Create(),
        DataCommand.Create(),
        TrainCommand.Create(),
        GenerateCommand.Create(),
        InspectCommand.Create(),
        ForecastCommand.Create(),
        ExportCommand.Create(),
        BenchCommand.Create(),
        ReproduceCommand.Create(),
        SweepCommand.Create(),
    ];

    public static int Main(string[] args) => CommandLineApp.Run(Commands, args, Console.Out, Console.Error);
}
