namespace Research.Data.Registry;

/// <summary>The outcome of checking one dataset folder against its spec.</summary>
public sealed record VerificationResult(string Dataset, string Folder, int FilesFound, int FilesExpected,
    bool ChecksumsOk, bool StatisticsOk, IReadOnlyList<string> Problems)
{
    public bool Ok => FilesFound == FilesExpected && ChecksumsOk && StatisticsOk;
}

/// <summary>Checks a dataset folder: every file present, every sha256 as pinned, every statistic as expected.</summary>
public static class DatasetVerifier
{
    public static VerificationResult Verify(DatasetSpec spec, string folder)
    {
        var problems = new List<string>();
        var found = 0;
        var checksumsOk = true;
        foreach (var file in spec.Files)
        {
            var path = Path.Combine(folder, file.Name);
            if (!File.Exists(path))
            {
                problems.Add($"{path}: missing");
                checksumsOk = false;
                continue;
            }
            found++;
            var actual = FileChecksum.Sha256(path);
            if (actual != file.Sha256)
            {
                problems.Add($"{path}: sha256 {actual}, expected {file.Sha256}");
                checksumsOk = false;
            }
        }

        var statisticsOk = checksumsOk;
        if (checksumsOk)
        {
            foreach (var stat in spec.Statistics)
            {
                string measured;
                try
                {
                    measured = stat.Measure(folder);
                }
                catch (DataException e)
                {
                    measured = $"error: {e.Message}";
                }
                if (measured != stat.Expected)
                {
                    problems.Add($"{spec.Name}: {stat.Name} is {measured}, expected {stat.Expected}");
                    statisticsOk = false;
                }
            }
        }
        return new VerificationResult(spec.Name, folder, found, spec.Files.Count, checksumsOk, statisticsOk, problems);
    }
}
