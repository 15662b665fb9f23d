using ForwardGnn.Cli.Commands;

namespace ForwardGnn.Cli.Reproduce;

/// <summary>One results file of a <see cref="ResultsBook"/>, with what it ran on or how it was made.</summary>
internal sealed record ResultsSource(string File, string Note);

/// <summary>
/// A results folder (the project keeps one in <c>docs/results/</c>): <c>sources.txt</c> lists results files
/// (<c>raw/*.jsonl</c>, one <c>train</c> result per line), oldest first, each with a note; <c>README.md</c> is the one
/// current page, every measured cell against the paper, where a cell comes from the latest source that has it.
/// <c>reproduce --results DIR</c> records its matrix as a source and renders the page.
/// </summary>
internal sealed class ResultsBook(string folder)
{
    public string Folder { get; } = folder;

    public string SourcesPath => Path.Combine(Folder, "sources.txt");

    public string PagePath => Path.Combine(Folder, "README.md");

    /// <summary>The sources, oldest first: lines "<c>raw/NAME.jsonl  note</c>"; blank lines and <c>#</c> comments skipped.</summary>
    public List<ResultsSource> Sources()
    {
        if (!File.Exists(SourcesPath)) return [];
        var sources = new List<ResultsSource>();
        foreach ((string line, int number) in File.ReadLines(SourcesPath).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (!File.Exists(Path.Combine(Folder, parts[0])))
                throw new UsageException($"{SourcesPath}: line {number}: {parts[0]} does not exist");
            sources.Add(new ResultsSource(parts[0], parts.Length > 1 ? parts[1] : ""));
        }
        return sources;
    }

    /// <summary>
    /// Writes the complete runs of a matrix folder to <c>raw/NAME.jsonl</c> (replacing that file's earlier records) and,
    /// if it is new, lists it last in <c>sources.txt</c> with <paramref name="note"/>.
    /// </summary>
    /// <returns>How many run records were written.</returns>
    public int Record(string matrixRoot, string name, string note)
    {
        string file = $"raw/{name}.jsonl";
        List<TrainResult> records = RunRecords.InMatrix(matrixRoot).ToList();
        RunRecords.Write(Path.Combine(Folder, file), records);
        if (!Sources().Any(s => s.File == file))
        {
            string existing = File.Exists(SourcesPath) ? File.ReadAllText(SourcesPath) : "";
            if (existing.Length > 0 && !existing.EndsWith('\n')) existing += "\n";
            Training.AtomicFile.WriteAllText(SourcesPath, existing + $"{file}  {note.ReplaceLineEndings(" ")}\n");
        }
        return records.Count;
    }

    /// <summary>Every cell, from the latest source that has it, with the index (1-based) of that source.</summary>
    public List<(SummaryCell Cell, int Source)> Cells()
    {
        var latest = new Dictionary<(string, string, string, string, int), (SummaryCell, int)>();
        List<ResultsSource> sources = Sources();
        for (int i = 0; i < sources.Count; i++)
            foreach (SummaryCell cell in SummaryCell.Collect(RunRecords.InFile(Path.Combine(Folder, sources[i].File))))
                latest[(cell.Task, cell.Dataset, cell.Algo, cell.Gnn, cell.Layers)] = (cell, i + 1);
        return latest.Values
            .OrderBy(c => c.Item1.Task == "node" ? 0 : 1).ThenBy(c => c.Item1.Dataset).ThenBy(c => SummaryCell.GnnOrder(c.Item1.Gnn))
            .ThenBy(c => SummaryCell.AlgoOrder(c.Item1.Algo)).ThenBy(c => c.Item1.Layers)
            .ToList();
    }

    /// <summary>
    /// The folder's other pages (<c>*.md</c> beside <c>README.md</c>: studies outside the paper's matrix, written by
    /// their own scripts), by file name, each with its first <c>#</c> heading as its title (the file name without one).
    /// </summary>
    public List<(string File, string Title)> Studies() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "*.md").Select(Path.GetFileName).OfType<string>()
                .Where(f => f != Path.GetFileName(PagePath)).Order(StringComparer.Ordinal)
                .Select(f => (f, File.ReadLines(Path.Combine(Folder, f)).FirstOrDefault(l => l.StartsWith("# "))?[2..].Trim() ?? f))
                .ToList()
            : [];

    /// <summary>Renders <c>README.md</c> from the sources; returns the number of cells on it.</summary>
    public int Render()
    {
        List<(SummaryCell Cell, int Source)> cells = Cells();
        Training.AtomicFile.WriteAllText(PagePath, ResultsPage.Markdown(Sources(), cells, Studies()));
        return cells.Count;
    }
}
