using System.CommandLine;
using ForwardGnn.Cli.Models;
using ForwardGnn.Models;
using ForwardGnn.Training;

namespace ForwardGnn.Cli.Commands;

/// <summary>
/// <c>forwardgnn embed</c>: node representations [N, d] as a float32 <c>.npy</c> file: layer K's output, or by default what
/// the model's prediction rule reads (every layer's output side by side for layer-wise forward models, the last
/// layer's otherwise).
/// </summary>
internal static class EmbedCommand
{
    private static readonly Option<int?> Layer = new("--layer") { Description = "Layer 1..L whose output to write [what the prediction rule reads]" };
    private static readonly Option<string> Out = new("--out") { Description = ".npy file to write", Required = true };

    public static Command Create()
    {
        var command = new Command("embed", "Write node embeddings of a trained model as a numpy .npy file [N, d]");
        foreach (Option o in ModelInputs.Options.Append(Layer).Append(Out)) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            ModelInputs inputs = ModelInputs.Read(parse);
            using GnnModel model = inputs.Loaded;
            int? layer = parse.GetValue(Layer);
            if (layer is { } k && (k < 1 || k > model.Card.Layers)) throw new UsageException($"--layer must be 1..{model.Card.Layers}");
            IReadOnlyCollection<int> labelled = model.Card.Task == TaskKind.Node ? model.LabelledForTest(inputs.NodeSplit()) : [];
            NodeEmbeddings embeddings = model.Embed(inputs.LinkGraph(), layer, labelled);
            string path = parse.GetValue(Out)!;
            NpyWriter.Write(path, embeddings.Values, embeddings.Rows, embeddings.Columns);
            Console.WriteLine($"{path}: [{embeddings.Rows}, {embeddings.Columns}] float32");
            return 0;
        }));
        return command;
    }
}
