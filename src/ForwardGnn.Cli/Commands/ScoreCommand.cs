using System.CommandLine;
using System.Globalization;
using ForwardGnn.Cli.Models;
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Models;

namespace ForwardGnn.Cli.Commands;

/// <summary>
/// <c>forwardgnn score</c>: a link model's probability for node pairs, as CSV (<c>source,target,probability</c>, and
/// <c>label</c> for a split's pairs). On the dataset it was trained on, messages pass over the split's train ∪ val
/// edges, as in the run's test evaluation; on another graph, over all its edges.
/// </summary>
internal static class ScoreCommand
{
    private static readonly Option<string> Pairs = new("--pairs")
    {
        Description = "CSV of node pairs (two integer columns, optional header), or val | test for the split's supervision pairs",
        Required = true,
    };
    private static readonly Option<string> Out = new("--out") { Description = "CSV file to write", Required = true };

    public static Command Create()
    {
        var command = new Command("score", "Score node pairs with a trained link model (CSV: source, target, probability)");
        foreach (Option o in ModelInputs.Options.Append(Pairs).Append(Out)) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            ModelInputs inputs = ModelInputs.Read(parse);
            using GnnModel model = inputs.Loaded;
            inputs.Require(Training.TaskKind.Link, "score");
            string pairs = parse.GetValue(Pairs)!;
            LinkSupervision? supervision = pairs.ToLowerInvariant() switch
            {
                "val" => inputs.EdgeSplit().Val,
                "test" => inputs.EdgeSplit().Test,
                _ => null,
            };
            (int[] source, int[] target) = supervision is null ? PairsFile.Read(pairs, inputs.Data.NumNodes) : (supervision.Source, supervision.Target);
            float[] scores = model.ScorePairs(inputs.LinkGraph(), source, target);
            string path = parse.GetValue(Out)!;
            OutputFile.WriteCsv(path, supervision is null ? "source,target,probability" : "source,target,probability,label",
                scores.Select((p, i) => $"{source[i]},{target[i]},{OutputFile.Number(p)}" +
                    (supervision is null ? "" : "," + supervision.Label[i].ToString(CultureInfo.InvariantCulture))));
            Console.WriteLine($"{path}: {scores.Length} pairs");
            return 0;
        }));
        return command;
    }
}
