using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Forward;
using static TorchSharp.torch;

namespace ForwardGnn.Models;

/// <summary>What the top-down-input models (SF-T2I, FL-CE-T2I) share: their pass, and embeddings from a prediction's last time step.</summary>
internal static class TopDownEmbeddings
{
    /// <summary>
    /// The run's time steps (layer 1's input projected once per prediction), with the card's <c>test_time_steps</c>
    /// and <c>first_stored_step</c> (the run's defaults when absent).
    /// </summary>
    public static TopDownPass Pass(ModelCard card, IReadOnlyList<GraphConv> convs, Tensor bottom, Tensor? top, bool alternating) =>
        new(convs, bottom, top, card.Hidden, alternating, projectInputOnce: true)
        {
            Steps = (int)card.Options.GetValueOrDefault("test_time_steps", SfTopToInputAlgorithm.TestTimeSteps),
            FirstStoredStep = (int)card.Options.GetValueOrDefault("first_stored_step", SfTopToInputAlgorithm.FirstStoredStep),
        };

    /// <summary>
    /// The layers' outputs z_ℓ at a prediction's last time step, rows 0..<paramref name="rows"/>−1: layer
    /// <paramref name="layer"/>'s, or all side by side, [rows, L·H] (call without gradient, in a dispose scope).
    /// </summary>
    public static NodeEmbeddings Of(TopDownPass pass, GraphTensors graph, int rows, int? layer)
    {
        var outputs = new float[pass.Depth][];
        int width = 0;
        pass.Predict(graph, (t, l, z) =>
        {
            if (t != pass.Steps - 1) return;
            width = (int)z.shape[1];
            outputs[l - 1] = z.narrow(0, 0, rows).contiguous().data<float>().ToArray();
        });
        Tensor result = layer is { } k
            ? tensor(outputs[k - 1], rows, width)
            : cat(outputs.Select(o => tensor(o, rows, width)).ToArray(), 1).contiguous();
        return new NodeEmbeddings(result.data<float>().ToArray(), rows, (int)result.shape[1]);
    }
}
