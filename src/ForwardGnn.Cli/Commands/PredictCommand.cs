using System.CommandLine;
using ForwardGnn.Cli.Models;
using ForwardGnn.Data.Splits;
using ForwardGnn.Models;

namespace ForwardGnn.Cli.Commands;

/// <summary>
/// <c>forwardgnn predict</c>: a node model's class for each node, with per-class scores, as CSV
/// (<c>node,predicted,score_0,…,score_{C−1}</c>). Rules that read known labels read those of the nodes the run's test
/// evaluation read (the split's training nodes for SF).
/// </summary>
internal static class PredictCommand
{
    private static readonly Option<string?> Nodes = new("--nodes") { Description = "all | train | val | test [all]" };
    private static readonly Option<string> Out = new("--out") { Description = "CSV file to write", Required = true };

    public static Command Create()
    {
        var command = new Command("predict", "Predict node classes with a trained model (CSV: node, predicted class, class scores)");
        foreach (Option o in ModelInputs.Options.Append(Nodes).Append(Out)) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            ModelInputs inputs = ModelInputs.Read(parse);
            using GnnModel model = inputs.Loaded;
            inputs.Require(Training.TaskKind.Node, "predict");
            NodeSplit split = inputs.NodeSplit();
            int[]? nodes = (parse.GetValue(Nodes) ?? "all").ToLowerInvariant() switch
            {
                "all" => null,
                "train" => split.Train,
                "val" => split.Val,
                "test" => split.Test,
                string other => throw new UsageException($"--nodes must be all, train, val or test (not '{other}')"),
            };
            NodePredictions predictions = model.Predict(inputs.Data, nodes, model.LabelledForTest(split));
            string path = parse.GetValue(Out)!;
            string header = "node,predicted," + string.Join(",", Enumerable.Range(0, predictions.NumClasses).Select(c => $"score_{c}"));
            OutputFile.WriteCsv(path, header, predictions.Nodes.Select((node, row) =>
                $"{node},{predictions.Classes[row]},{string.Join(",", predictions.ScoresOf(row).ToArray().Select(OutputFile.Number))}"));
            Console.WriteLine($"{path}: {predictions.Nodes.Length} nodes");
            return 0;
        }));
        return command;
    }
}
