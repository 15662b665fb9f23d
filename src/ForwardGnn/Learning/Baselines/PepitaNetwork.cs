using ForwardGnn.Engine;
using ForwardGnn.Graphs;
using ForwardGnn.Layers;
using ForwardGnn.Learning.Backprop;
using TorchSharp;
using static TorchSharp.torch;

namespace ForwardGnn.Learning.Baselines;

/// <summary>
/// The network PEPITA trains (spec §11.4): BP's <see cref="BasicGnn"/>, L convs in → H → … → H → C with ReLU after
/// every conv but the last (GAT's output conv averages its heads), and PEPITA's fixed random feedback projection
/// F [in, C], F_ij ~ U(−s, s) with s = 0.05·√(6 / in) as in the original method.
/// <para>One update (<see cref="AccumulateUpdate"/>) runs two forward passes and no backward pass through more than
/// one conv: pass 1 on x gives the output error e = softmax(z_L) − onehot(y) at the training nodes (0 elsewhere);
/// pass 2 runs on the modulated input x + e Fᵀ. Writing u_ℓ for conv ℓ's pre-synaptic input on pass 2 (for GCN,
/// Â h_{ℓ−1}^mod), the parameters of a hidden conv receive (h_ℓ − h_ℓ^mod)ᵀ u_ℓ and those of the output conv eᵀ u_L,
/// both averaged over the training nodes. They are obtained as the gradient of ⟨δ_ℓ, conv_ℓ(h_{ℓ−1}^mod)⟩ with δ_ℓ a
/// constant and the conv's input detached, so every conv's update comes from its own input and output only.</para>
/// </summary>
internal sealed class PepitaNetwork : nn.Module<Tensor, GraphTensors, Tensor>
{
    private readonly BasicGnn gnn;
    private readonly Tensor feedback;

    public PepitaNetwork(GnnKind kind, int inChannels, int hidden, int layers, int classes) : base(nameof(PepitaNetwork))
    {
        gnn = new BasicGnn(kind, inChannels, hidden, layers, classes);
        double scale = 0.05 * Math.Sqrt(6.0 / inChannels);
        feedback = rand(inChannels, classes).mul(HeldScalars.Of(2 * scale)).sub(HeldScalars.Of(scale));   // U(−scale, scale)
        RegisterComponents();
    }

    /// <summary>The network PEPITA trains (what predicts).</summary>
    public BasicGnn Gnn => gnn;

    /// <summary>F [in, C]: the fixed projection of the output error onto the input.</summary>
    public Tensor Feedback => feedback;

    /// <summary>Logits z_L [N, C] of one forward pass.</summary>
    public override Tensor forward(Tensor x, GraphTensors graph) => gnn.call(x, graph);

    /// <summary>
    /// Sets every parameter's <c>grad</c> to PEPITA's update for the training nodes <paramref name="train"/> (labels
    /// <paramref name="labels"/>) and returns pass 1's cross-entropy. x: input features (dense or sparse) [N, in].
    /// </summary>
    public float AccumulateUpdate(Tensor x, GraphTensors graph, Tensor train, Tensor labels)
    {
        var hidden = new List<Tensor>();
        Tensor error;
        float loss;
        using (no_grad())
        {
            Tensor logits = gnn.Forward(x, graph, hidden).index_select(0, train);
            loss = nn.functional.cross_entropy(logits, labels).item<float>();
            Tensor trainError = logits.softmax(1).sub(nn.functional.one_hot(labels, logits.shape[1]).to(logits.dtype));
            error = zeros(x.shape[0], logits.shape[1], device: logits.device).index_copy(0, train, trainError);
        }
        zero_grad();
        IReadOnlyList<GraphConv> convs = gnn.Convs;
        Tensor input = x;
        for (int l = 0; l < convs.Count; l++)
        {
            // Pass 2 starts from the modulated input x + e Fᵀ, which only the first conv's projection needs to see.
            Tensor z = l == 0 ? convs[0].ForwardShifted(x, error, feedback, graph) : convs[l].call(input, graph);
            bool last = l == convs.Count - 1;
            Tensor activation = last ? z : nn.functional.relu(z);
            Tensor delta = last ? error : hidden[l].sub(activation).detach();
            delta.index_select(0, train).mul(z.index_select(0, train)).sum(1).mean().backward();
            input = activation.detach();
        }
        return loss;
    }
}
