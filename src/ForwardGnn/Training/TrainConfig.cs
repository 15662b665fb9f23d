using ForwardGnn.Layers;

namespace ForwardGnn.Training;

/// <summary>The two tasks of the paper.</summary>
public enum TaskKind
{
    /// <summary>Node classification, scored by test accuracy.</summary>
    Node,

    /// <summary>Link prediction, scored by test ROC-AUC.</summary>
    Link,
}

/// <summary>
/// Everything that defines a training run on one split. The defaults are the ForwardGNN paper's: 1000 epochs,
/// validation every 2 epochs, patience 100 checks, Adam lr 1e-3 with weight decay 5e-4, 128 hidden channels.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>Dataset name or alias (<see cref="Data.DatasetCatalog"/>).</summary>
    public string Dataset { get; init; } = "CitationFull-Cora_ML";
    /// <summary>Node classification or link prediction.</summary>
    public TaskKind Task { get; init; } = TaskKind.Node;
    /// <summary>The graph convolution of every layer.</summary>
    public GnnKind Gnn { get; init; } = GnnKind.Gcn;
    /// <summary>Learning algorithm name (<see cref="Learning.LearningAlgorithms"/>), e.g. "bp" for backpropagation.</summary>
    public string Algo { get; init; } = "bp";
    /// <summary>Number of GNN layers.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Maximum training epochs (per layer for layer-wise algorithms).</summary>
    public int Epochs { get; init; } = 1000;
    /// <summary>Validation checks without improvement before early stopping.</summary>
    public int Patience { get; init; } = 100;
    /// <summary>Epochs between validation checks.</summary>
    public int ValEvery { get; init; } = 2;
    /// <summary>Learning rate of the optimiser.</summary>
    public double Lr { get; init; } = 1e-3;
    /// <summary>L2 weight decay of the optimiser.</summary>
    public double WeightDecay { get; init; } = 5e-4;
    /// <summary>Hidden channels of every layer.</summary>
    public int Hidden { get; init; } = 128;
    /// <summary>
    /// Dropout rate p (0 ≤ p &lt; 1) on every hidden activation in training, for the algorithms that have it
    /// (<see cref="Learning.ILearningAlgorithm.AppliesDropout"/>); 0, the paper's setting, means none.
    /// </summary>
    public double Dropout { get; init; }
    /// <summary>
    /// Seed of the run's random draws (initial weights, negative samples, random projections). The CLI derives one per
    /// split from its <c>--seed</c> (docs/train.md); <see cref="Trainer"/> uses this value as it is.
    /// </summary>
    public int Seed { get; init; } = 100;
    /// <summary>
    /// Compute threads (intra-op and native kernels). The thread count is the process's: the CLI applies this value
    /// (<c>--threads</c>); a library user calls <see cref="ForwardGnnRuntime.SetThreads(int)"/>, and <see cref="Trainer"/> leaves it alone.
    /// </summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>What a non-finite loss or metric does to the run.</summary>
    public NanPolicy OnNan { get; init; } = NanPolicy.Stop;

    /// <summary>The forward-learning rules' knobs (temperature, goodness threshold, test-time steps, gradient cap).</summary>
    public ForwardOptions Forward { get; init; } = new();

    /// <summary>The task's test metric: "accuracy" (node classification) or "roc_auc" (link prediction).</summary>
    public string MetricName => Task == TaskKind.Node ? "accuracy" : "roc_auc";

    /// <summary>Throws <see cref="InvalidSettingException"/> for values no run can use.</summary>
    public void Validate()
    {
        if (Layers is < 1 or > 64) throw new InvalidSettingException(nameof(Layers), "must be at least 1 (and at most 64)");
        if (Epochs is < 1 or > 10_000_000) throw new InvalidSettingException(nameof(Epochs), "must be at least 1 (and at most 10,000,000)");
        if (ValEvery < 1) throw new InvalidSettingException(nameof(ValEvery), "must be at least 1");
        if (Hidden is < 1 or > 65_536) throw new InvalidSettingException(nameof(Hidden), "must be at least 1 (and at most 65,536)");
        if (!(Lr > 0) || !double.IsFinite(Lr)) throw new InvalidSettingException(nameof(Lr), "must be positive");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new InvalidSettingException(nameof(WeightDecay), "must be non-negative");
        if (!(Dropout is >= 0 and < 1)) throw new InvalidSettingException(nameof(Dropout), "must be in [0, 1)");
        if (Threads is < 1 or > 1024) throw new InvalidSettingException(nameof(Threads), "must be at least 1 (and at most 1024)");
        Forward.Validate();
        if (Gnn == GnnKind.Gat && Hidden % GnnLayers.GatHeads != 0)
            throw new InvalidSettingException(nameof(Hidden), $"must be a multiple of {GnnLayers.GatHeads} for GAT");
    }
}
