using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// The time steps of the top-down-input algorithms (SF-Top-To-Input, spec §4.6; FL-CE-Top-To-Input, spec §5.3), shared
/// by their training, their evaluation and their trained models: layer ℓ sees [LN(S_{ℓ−1}) ‖ LN(S_{ℓ+1})]. States are
/// kept normalised, ns[0..L+1]: ns[0] = <paramref name="bottom"/> (LN of the input features) and ns[L+1] =
/// <paramref name="top"/> (SF's LN(Y)) stay fixed; with no top block (FL) the top layer sees LN(S_{L−1}) only.
/// </summary>
/// <param name="convs">conv_1 … conv_L, each taking its input blocks side by side.</param>
/// <param name="hidden">Width H of the states 1..L.</param>
/// <param name="alternating">Odd layers update first, then even layers from the odd layers' new states (see <see cref="SfTopToInputAlgorithm.Groups"/>).</param>
/// <param name="projectInputOnce">Under fixed parameters, project layer 1's input once per prediction, or in every forward (the literal algorithm).</param>
/// <param name="bottom">ns[0]: LN of the input features, fixed.</param>
/// <param name="top">ns[L+1]: the fixed top block (SF's LN(Y)), or null for none.</param>
internal sealed class TopDownPass(IReadOnlyList<GraphConv> convs, Tensor bottom, Tensor? top, int hidden, bool alternating, bool projectInputOnce)
{
    public int Depth => convs.Count;

    /// <summary>Time steps of a prediction.</summary>
    public int Steps { get; init; } = SfTopToInputAlgorithm.TestTimeSteps;

    /// <summary>The first time step whose outputs a prediction reads.</summary>
    public int FirstStoredStep { get; init; } = SfTopToInputAlgorithm.FirstStoredStep;

    /// <summary>The width of the block above layer ℓ: H below the top, the top block's at the top (none without one).</summary>
    private long? AboveWidth(int l) => l < Depth ? hidden : top?.shape[1];

    /// <summary>
    /// Layer ℓ on [below ‖ above] without gradient; above = null is the bottom-up pass's zero input (or the top layer's
    /// missing one). Projection is linear, so a zero block adds nothing, and layer 1's projection of ns[0] can be
    /// computed once per prediction (<paramref name="firstProjection"/>).
    /// </summary>
    public Tensor Infer(int l, Tensor below, Tensor? above, GraphTensors graph, Tensor? firstProjection)
    {
        GraphConv conv = convs[l - 1];
        if (!projectInputOnce)
            return LocalLayer.ForwardBlocks(conv, AboveWidth(l) is { } width
                ? [below, above ?? zeros(graph.NumNodes, width, device: graph.Device)]
                : [below], graph);
        return LocalLayer.ForwardFromProjection(conv, l == 1 && firstProjection is not null ? firstProjection : conv.BlockProjection(below, 0),
            above, below.shape[1], graph);
    }

    /// <summary>Layer 1's projection of ns[0] for a prediction's forwards, or null when every forward projects it.</summary>
    public Tensor? FirstProjection() => projectInputOnce ? convs[0].BlockProjection(bottom, 0) : null;

    /// <summary>The initial states: a bottom-up pass with zero top-down inputs.</summary>
    public Tensor[] BottomUp(GraphTensors graph, Tensor? firstProjection = null)
    {
        using var _ = no_grad();
        var ns = new Tensor[Depth + 2];
        ns[0] = bottom;
        ns[Depth + 1] = top!;   // null without a top block: never read
        for (int l = 1; l <= Depth; l++)
        {
            using var layerScope = NewDisposeScope();
            ns[l] = RowNorm.Apply(Infer(l, ns[l - 1], null, graph, firstProjection)).MoveToOuterDisposeScope();
        }
        return ns;
    }

    /// <summary>
    /// One time step from the states <paramref name="ns"/>: each layer's output z = <paramref name="learn"/>(ℓ, below,
    /// above) (a training step that returns the output it made) or, without it, <see cref="Infer"/>; then
    /// <paramref name="observe"/>(ℓ, z). Each layer's intermediates are freed as soon as its new state is made: a
    /// prediction's steps would otherwise hold every step's tensors until it returns (gigabytes on GitHub at L = 4).
    /// </summary>
    public Tensor[] TimeStep(Tensor[] ns, GraphTensors graph, Func<int, Tensor, Tensor?, Tensor>? learn, Action<int, Tensor>? observe,
        Tensor? firstProjection = null)
    {
        var next = new Tensor?[Depth + 2];
        next[0] = ns[0];
        foreach (int[] group in SfTopToInputAlgorithm.Groups(Depth, alternating))
            foreach (int l in group)
            {
                using var layerScope = NewDisposeScope();
                Tensor a = alternating && next[l - 1] is { } na ? na : ns[l - 1];
                Tensor? b = alternating && next[l + 1] is { } nb ? nb : ns[l + 1];
                Tensor z = learn is null ? Infer(l, a, b, graph, firstProjection) : learn(l, a, b);
                observe?.Invoke(l, z);
                next[l] = RowNorm.Apply(z.detach()).MoveToOuterDisposeScope();
            }
        next[Depth + 1] = ns[Depth + 1];
        return next!;
    }

    /// <summary>
    /// A prediction on <paramref name="graph"/> (call without gradient, in a dispose scope): <see cref="Steps"/> time
    /// steps from a fresh bottom-up pass; <paramref name="observe"/>(t, ℓ, z) sees every layer's output of the steps
    /// t ≥ <see cref="FirstStoredStep"/>, and <paramref name="stepDone"/>(t) runs after each step. Each step's states
    /// replace (and free) the previous step's.
    /// </summary>
    public void Predict(GraphTensors graph, Action<int, int, Tensor> observe, Action<int>? stepDone = null)
    {
        Tensor? first = FirstProjection();
        Tensor[] ns = BottomUp(graph, first);
        for (int t = 0; t < Steps; t++)
        {
            int step = t;
            Tensor[] next = TimeStep(ns, graph, null, t >= FirstStoredStep ? (l, z) => observe(step, l, z) : null, first);
            for (int l = 1; l <= Depth; l++) ns[l].Dispose();
            ns = next;
            stepDone?.Invoke(t);
        }
    }
}
