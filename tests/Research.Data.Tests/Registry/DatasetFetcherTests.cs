using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Research.Data.Registry;

namespace Research.Data.Tests.Registry;

/// <summary>Downloads from a loopback HTTP server: the happy path, a wrong checksum and an unreachable host.</summary>
public sealed class DatasetFetcherTests : IDisposable
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("a tiny dataset\nwith two lines\n");
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"research-cache-{Guid.NewGuid():N}");
    private readonly HttpListener _server = new();
    private readonly string _baseUrl;

    public DatasetFetcherTests()
    {
        var port = FreePort();
        _baseUrl = $"http://127.0.0.1:{port}/";
        _server.Prefixes.Add(_baseUrl);
        _server.Start();
        _ = Task.Run(Serve);
    }

    [Fact]
    public async Task DownloadsIntoTheCacheAndChecksTheSha256()
    {
        var spec = Spec(Convert.ToHexStringLower(SHA256.HashData(Payload)));
        using var http = new HttpClient();
        var reports = new List<DownloadProgress>();
        var folder = await new DatasetFetcher(http).FetchAsync(spec, new DataDirectories(null, _cache), new InlineProgress(reports.Add));

        Assert.Equal(Payload, await File.ReadAllBytesAsync(Path.Combine(folder, "tiny.txt")));
        Assert.Equal(Payload.Length, reports[^1].Received);
        Assert.Equal(folder, new DataDirectories(null, _cache).Locate(spec));
    }

    [Fact]
    public async Task AWrongChecksumLeavesNothingInTheCache()
    {
        var spec = Spec(new string('0', 64));
        using var http = new HttpClient();
        var e = await Assert.ThrowsAsync<DataException>(() => new DatasetFetcher(http).FetchAsync(spec, new DataDirectories(null, _cache)));

        Assert.Contains("tiny.txt: sha256", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected 0000", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_cache, "tiny")));
    }

    [Fact]
    public async Task AnUnreachableHostIsOneClearLine()
    {
        var spec = Spec(new string('0', 64)) with { Files = [new("tiny.txt", $"http://127.0.0.1:{FreePort()}/tiny.txt", new string('0', 64), 1)] };
        using var http = new HttpClient();
        var e = await Assert.ThrowsAsync<DataException>(() => new DatasetFetcher(http).FetchAsync(spec, new DataDirectories(null, _cache)));

        Assert.StartsWith("cannot download http://127.0.0.1:", e.Message, StringComparison.Ordinal);
        Assert.Contains("offline?", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_cache, "tiny")));
    }

    [Fact]
    public void LocateNamesBothPlacesItLooked()
    {
        var e = Assert.Throws<DataException>(() => new DataDirectories("/nonexistent-mirror", _cache).Locate(Spec("x")));
        Assert.Contains("/nonexistent-mirror/tiny", e.Message, StringComparison.Ordinal);
        Assert.Contains("research data fetch tiny", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server.Close();
        if (Directory.Exists(_cache))
            Directory.Delete(_cache, recursive: true);
    }

    private DatasetSpec Spec(string sha256) =>
        new("tiny", "test", "test", [new("tiny.txt", _baseUrl + "tiny.txt", sha256, Payload.Length)], []);

    private async Task Serve()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            context.Response.ContentLength64 = Payload.Length;
            await context.Response.OutputStream.WriteAsync(Payload);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class InlineProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
