using System.Security.Cryptography;

namespace Research.Data.Registry;

/// <summary>
/// Downloads a dataset's files into the cache. Each file streams into a temporary file beside its target while its
/// sha256 is computed; only a file whose checksum matches is renamed into place, so an interrupted or corrupt
/// download never leaves a file the loaders would trust.
/// </summary>
public sealed class DatasetFetcher(HttpClient http)
{
    /// <returns>The cache folder that now holds every file of the dataset.</returns>
    public async Task<string> FetchAsync(DatasetSpec spec, DataDirectories directories, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var folder = directories.CacheFolder(spec);
        Directory.CreateDirectory(folder);
        foreach (var file in spec.Files)
        {
            var target = Path.Combine(folder, file.Name);
            if (File.Exists(target) && FileChecksum.Sha256(target) == file.Sha256)
                continue;
            await DownloadAsync(file, target, progress, cancel).ConfigureAwait(false);
        }
        return folder;
    }

    private async Task DownloadAsync(DatasetFile file, string target, IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        var temporary = $"{target}.part-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using var response = await SendAsync(file, cancel).ConfigureAwait(false);
            var total = response.Content.Headers.ContentLength;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var source = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false))
            await using (var sink = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                long received = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await sink.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
                    received += read;
                    progress?.Report(new DownloadProgress(file.Name, received, total));
                }
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != file.Sha256)
                throw new DataException($"{file.Url}: sha256 {actual}, expected {file.Sha256}; nothing was written to the cache");
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(DatasetFile file, CancellationToken cancel)
    {
        // A lab's file without a URL lives only in its mirror: there is nothing to download it from.
        var url = file.Url ?? throw new DataException(
            $"{file.Name}: the catalogue gives no URL to download it from; copy it into ${DataDirectories.MirrorVariable}/<dataset>/ instead");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DataException($"cannot download {file.Url}: {e.Message} (offline? point {DataDirectories.MirrorVariable} at a local copy)", e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new DataException($"cannot download {file.Url}: timed out (offline? point {DataDirectories.MirrorVariable} at a local copy)", e);
        }
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new DataException($"cannot download {file.Url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        return response;
    }
}
