namespace Research.Data.Registry;

/// <summary>Bytes received so far for one file; Total is null when the server sends no length.</summary>
public readonly record struct DownloadProgress(string File, long Received, long? Total);
