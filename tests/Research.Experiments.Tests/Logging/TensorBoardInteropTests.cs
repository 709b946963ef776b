using Research.Experiments.Logging;
using TorchSharp;

namespace Research.Experiments.Tests.Logging;

/// <summary>Our hand-written event format against the protobuf-generated code TorchSharp ships (tensorflow's event.proto).</summary>
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
            events.SelectMany(e => e.Scalars.Select(s => (e.Step, s.Tag, s.Value))));
        Assert.Equal(1_795_000_000, events[2].WallTime);
        Assert.Empty(events[3].Scalars);
        // Byte-level check of our encoder against the record Google.Protobuf wrote for the same event.
        var ours = TensorBoardEventCodec.Encode(new TensorBoardEvent(1_795_000_000, 8, null, null, [new("train/loss", 2.25f)]));
        Assert.Equal(TfRecordFile.ReadRecords(file).ElementAt(2), ours);
    }
}
