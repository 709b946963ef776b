using Research.Data;
using Research.Data.Registry;
using Research.Data.Sources;

namespace Research.Experiments.Sources;

/// <summary>
/// The files of a source as paths, each recorded with its sha256. A registered dataset's file must carry the bytes the
/// registry pins: a different file under a registered name would be trained on and recorded under the wrong name.
/// </summary>
public static class SourceFiles
{
    /// <summary>The folder holding a registered dataset's files, or the folder of one's own.</summary>
    public static string Folder(DataSource source, DataDirectories directories) => source switch
    {
        RegisteredData r => directories.Locate(r.Spec),
        OwnData { IsFolder: true } own => own.Path,
        OwnData own => throw DataException.In(own.Path, "is a file, but this needs a folder"),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "a generator has no files"),
    };

    /// <summary>
    /// The one file a reader needs: data.path itself when it is a file; else <paramref name="file"/> inside the folder,
    /// or the folder's only file.
    /// </summary>
    public static string Single(DataSource source, string? file, DataDirectories directories)
    {
        if (source is OwnData { IsFolder: false } own)
            return file is null ? own.Path : throw DataException.In(own.Path, $"is a file: data.file ('{file}') only picks a file inside a folder");
        var folder = Folder(source, directories);
        var names = source is RegisteredData r ? r.Spec.Files.Select(f => f.Name).ToList()
            : [.. Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        if (file is not null)
        {
            return names.Contains(file)
                ? Path.Combine(folder, file)
                : throw DataException.In(folder, $"has no file '{file}' in dataset '{source.Name}' (files: {string.Join(", ", names)})");
        }
        return names.Count == 1
            ? Path.Combine(folder, names[0])
            : throw DataException.In(folder, $"dataset '{source.Name}' has {names.Count} files ({string.Join(", ", names)}): set data.file");
    }

    /// <summary>Each path with its sha256, checked against the registry's pin when the source is a registered dataset.</summary>
    /// <exception cref="DataException">A registered dataset's file does not have its pinned sha256.</exception>
    public static IReadOnlyList<SourceFile> Record(DataSource source, IEnumerable<string> paths)
    {
        var files = paths.Distinct(StringComparer.Ordinal).Select(SourceFile.Of).ToList();
        if (source is RegisteredData registered)
        {
            foreach (var file in files)
            {
                var pinned = registered.Spec.Files.FirstOrDefault(f => f.Name == Path.GetFileName(file.Path));
                if (pinned is not null && pinned.Sha256 != file.Sha256)
                {
                    throw DataException.In(file.Path, $"sha256 {file.Sha256}, but dataset '{registered.Name}' pins {pinned.Sha256}: this is not that " +
                        $"dataset's file (check with `research data verify {registered.Name}`; read a file of your own with data.path)");
                }
            }
        }
        return files;
    }
}
