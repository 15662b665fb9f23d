using ForwardGnn.Cli;
using ForwardGnn.Cli.Commands;
using ForwardGnn.Cli.Reproduce;
using ForwardGnn.Tests.Support;
using ForwardGnn.Training;

namespace ForwardGnn.Tests.Cli.Reproduce;

public class ResultsBookTests
{
    private const string CoraMl = "CitationFull-Cora_ML";

    /// <summary>A finished <c>train</c> result of one cell over the given splits, each with test metric <paramref name="tests"/>[i].</summary>
    private static TrainResult Result(string algo, int layers, params double[] tests)
    {
        RunResult[] runs = tests.Select((t, i) => new RunResult(i, 10100 + 3 * i, t, t, 100, 1.0)).ToArray();
        (double mean, double std) = Summary.MeanStd(tests);
        return new TrainResult(CoraMl, "node", "gcn", algo, layers, [.. runs.Select(r => r.Split)], "accuracy", mean, std, mean, runs, tests.Length, 100);
    }

    private static ResultsBook Book(TempDir dir, params (string Name, TrainResult[] Records)[] sources)
    {
        Directory.CreateDirectory(dir["raw"]);
        foreach ((string name, TrainResult[] records) in sources) RunRecords.Write(dir[$"raw/{name}.jsonl"], records);
        File.WriteAllLines(dir["sources.txt"], ["# oldest first", .. sources.Select(s => $"raw/{s.Name}.jsonl  note of {s.Name}")]);
        return new ResultsBook(dir.Path);
    }

    [Fact]
    public void ALaterSourceReplacesTheCellsItHasAndKeepsTheOthers()
    {
        using var dir = new TempDir();
        ResultsBook book = Book(dir,
            ("old", [Result("bp", 2, 80, 82), Result("bp", 3, 70, 72)]),
            ("new", [Result("bp", 2, 86, 88, 87)]));

        var cells = book.Cells().ToDictionary(c => c.Cell.Layers);
        Assert.Equal((87.0, 3, 2), (cells[2].Cell.Mean, cells[2].Cell.Runs, cells[2].Source));
        Assert.Equal((71.0, 2, 1), (cells[3].Cell.Mean, cells[3].Cell.Runs, cells[3].Source));

        Assert.Equal(2, book.Render());
        string page = File.ReadAllText(book.PagePath);
        Assert.Contains("| 2 | [raw/new.jsonl](raw/new.jsonl) | 1 | note of new |", page);
        Assert.Contains("87.00 ± 0.82 (3)", page);
        Assert.DoesNotContain("81.00", page);   // the old L=2 cell is gone
    }

    [Fact]
    public void RecordingAMatrixAddsOneSourceAndReplacesItsRecordsWhenRecordedAgain()
    {
        using var dir = new TempDir();
        ResultsBook book = Book(dir, ("old", [Result("bp", 2, 80)]));
        string matrix = dir["matrix"];
        void Finish(int split, double test)
        {
            string folder = Path.Combine(matrix, "runs", $"node-{CoraMl}-bp-gcn-L2", $"split{split}");
            Directory.CreateDirectory(folder);
            TrainResult one = Result("bp", 2, test) with { Splits = [split], PerRun = [new RunResult(split, 10100 + 3 * split, test, test, 100, 1.0)] };
            File.WriteAllText(Path.Combine(folder, "result.json"), System.Text.Json.JsonSerializer.Serialize(one, JsonOutput.Options));
        }

        Finish(0, 90);
        Assert.Equal(1, book.Record(matrix, "m", "`forwardgnn reproduce ...`"));
        Finish(1, 92);
        Assert.Equal(2, book.Record(matrix, "m", "`forwardgnn reproduce ...`"));

        Assert.Equal(["old", "m"], book.Sources().Select(s => Path.GetFileNameWithoutExtension(s.File)));
        Assert.Equal(2, File.ReadAllLines(dir["raw/m.jsonl"]).Length);
        var cell = Assert.Single(book.Cells());
        Assert.Equal((91.0, 2, 2), (cell.Cell.Mean, cell.Cell.Runs, cell.Source));
    }

    [Fact]
    public void ATornLastLineIsSkippedAndAMissingSourceIsNamed()
    {
        using var dir = new TempDir();
        ResultsBook book = Book(dir, ("a", [Result("bp", 2, 80)]));
        File.AppendAllText(dir["raw/a.jsonl"], "{\"dataset\":\"Cit");
        Assert.Single(book.Cells());

        File.AppendAllText(dir["sources.txt"], "raw/missing.jsonl  gone\n");
        var e = Assert.Throws<UsageException>(() => book.Cells());
        Assert.Contains("raw/missing.jsonl does not exist", e.Message);
    }

    [Fact]
    public void ThePageLinksTheFoldersOtherPagesByTheirHeading()
    {
        using var dir = new TempDir();
        ResultsBook book = Book(dir, ("a", [Result("bp", 2, 80)]));
        book.Render();
        Assert.DoesNotContain("Studies beyond", File.ReadAllText(book.PagePath));

        File.WriteAllText(dir["depth.md"], "intro line\n# Depth study\n\ntext\n");
        File.WriteAllText(dir["apart.md"], "no heading here\n");
        book.Render();
        string page = File.ReadAllText(book.PagePath);
        Assert.Contains("[apart.md](apart.md); [Depth study](depth.md).", page);
        Assert.DoesNotContain("(README.md)", page);
    }

    [Theory]
    [InlineData("bp", 2, -1.99, "Pass")]
    [InlineData("bp", 2, -2.01, "Short")]
    [InlineData("bp", 2, +5.00, "Pass")]     // the paper's own methods may beat it
    [InlineData("cafo", 2, +2.99, "Pass")]   // baselines are matched within ±3
    [InlineData("cafo", 2, +3.01, "Above")]
    [InlineData("cafo", 2, -3.01, "Short")]
    [InlineData("cafo", 3, -9.00, "NotChecked")]
    [InlineData("pepita-adam", 2, -9.00, "NotChecked")]
    public void VerdictsFollowThePagesRule(string algo, int layers, double delta, string expected)
    {
        const string citeSeer = "CitationFull-CiteSeer";
        PaperValue paper = PaperResults.Find("node", citeSeer, algo, "gcn", layers)!;
        if (expected != "NotChecked") Assert.True(paper.Std <= 2.0);   // else the std rule, not this one, would decide
        var cell = new SummaryCell("node", citeSeer, algo, "gcn", layers, "accuracy", paper.Mean + delta, 0, 5, 100, 1, 100);
        Assert.Equal(expected, CellVerdict.Of(cell).Kind.ToString());
    }
}
