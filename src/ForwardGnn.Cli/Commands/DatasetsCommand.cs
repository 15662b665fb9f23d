using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ForwardGnn.Cli.Protocol;
using ForwardGnn.Data;
using Spectre.Console;

namespace ForwardGnn.Cli.Commands;

/// <summary><c>forwardgnn datasets</c>: which known datasets the data roots hold, with their processed counts.</summary>
internal static class DatasetsCommand
{
    public sealed record Row(string Name, int Nodes, int Edges, int Features, int Classes, int[] LabelCounts, string Path, double LoadSeconds);

    public static Command Create()
    {
        Option<string?> dataRoot = CommonOptions.DataRoot();
        Option<bool> json = CommonOptions.Json();
        var command = new Command("datasets", "List the datasets found under the data roots with node, edge, feature and class counts");
        command.Options.Add(dataRoot);
        command.Options.Add(json);
        command.SetAction(parse => CliErrors.Run(parse, () => Execute(parse.GetValue(dataRoot), parse.GetValue(json))));
        return command;
    }

    private static int Execute(string? dataRoot, bool json)
    {
        var loader = new DatasetLoader(DataRootSearch.Resolve(dataRoot));
        var rows = new List<Row>();
        foreach (DatasetInfo info in DatasetCatalog.All)
        {
            if (loader.Locate(info) is not { } found) continue;
            var clock = Stopwatch.StartNew();
            GraphDataset data = loader.Load(info);
            rows.Add(new Row(info.Name, data.NumNodes, data.Edges.Count, data.NumFeatures, data.NumClasses,
                data.LabelHistogram(), found.Path, clock.Elapsed.TotalSeconds));
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, JsonOutput.Options));
            return 0;
        }
        if (rows.Count == 0)
        {
            Console.Error.WriteLine($"forwardgnn: no datasets found (looked in {string.Join(", ", loader.Roots.SearchOrder)})");
            return 0;
        }
        var table = new Table().AddColumns("dataset", "nodes", "directed edges", "features", "classes", "read from");
        foreach (Row r in rows)
            table.AddRow(Markup.Escape(r.Name), $"{r.Nodes:N0}", $"{r.Edges:N0}", $"{r.Features:N0}", $"{r.Classes}", Markup.Escape(r.Path));
        AnsiConsole.Write(table);
        return 0;
    }
}
