using Research.Experiments.Logging;
using TorchSharp;

namespace Research.Experiments.Tests.Logging;

/// <summary>Our event files against TorchSharp's: its generated protobuf classes and its SummaryWriter's files.</summary>
public sealed class TensorBoardInteropTests
{
    [Fact]
    public void OurEventsParseWithTheGeneratedProtobufClasses()
    {
        using var folder = new TemporaryFolder();
        string path;
        using (var sink = TensorBoardMetricsSink.Open(folder.Path, resumeFromStep: 41))
        {
            path = sink.Path;
            sink.Write(new MetricRecord(1_795_000_000.375, 42, 3, "valid", "perplexity", 61.8));
        }

        var events = TfRecordFile.ReadRecords(path).Select(data => Tensorboard.Event.Parser.ParseFrom(data)).ToArray();
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal((42L, Tensorboard.SessionLog.Types.SessionStatus.Start), (events[1].Step, events[1].SessionLog.Status));
        Assert.Equal((1_795_000_000.375, 42L), (events[2].WallTime, events[2].Step));
        var value = Assert.Single(events[2].Summary.Value);
        Assert.Equal(("valid/perplexity", 61.8f), (value.Tag, value.SimpleValue));
    }

    [Fact]
    public void TorchSharpSummaryWriterFilesReadBackWithOurReader()
    {
        using var folder = new TemporaryFolder();
        var writer = torch.utils.tensorboard.SummaryWriter(folder.Path);
        writer.add_scalar("train/loss", 2.5f, 7);
        writer.add_scalar("train/loss", 2.25f, 8, walltime: 1_795_000_000);
        writer.add_text("notes", "a text summary our reader skips", 8);

        var file = Assert.Single(TensorBoardEventReader.EventFiles(folder.Path));
        var events = TensorBoardEventReader.ReadFile(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal([(7L, "train/loss", 2.5f), (8L, "train/loss", 2.25f)],
            events.SelectMany(e => TensorBoardEventReader.Scalars(e).Select(s => (e.Step, s.Tag, s.SimpleValue))));
        Assert.Equal(1_795_000_000, events[2].WallTime);
        Assert.Empty(TensorBoardEventReader.Scalars(events[3]));

        // Byte-level check: our sink's record for the same scalar equals the one SummaryWriter wrote.
        using var ourFolder = new TemporaryFolder();
        string ourFile;
        using (var sink = TensorBoardMetricsSink.Open(ourFolder.Path))
        {
            ourFile = sink.Path;
            sink.Write(new MetricRecord(1_795_000_000, 8, 0, "train", "loss", 2.25));
        }

        Assert.Equal(TfRecordFile.ReadRecords(file).ElementAt(2), TfRecordFile.ReadRecords(ourFile).ElementAt(1));
    }
}
