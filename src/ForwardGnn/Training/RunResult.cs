using System.Text.Json.Serialization;

namespace ForwardGnn.Training;

/// <summary>One validation check: which split, epoch (0-based) and layer (1-based; 0 for whole-model algorithms).</summary>
public sealed record ValidationRecord(int Split, int Epoch, int Layer, double Loss, double Val, double ElapsedSeconds)
{
    /// <summary>
    /// Whole-model forward algorithms (SF-T2L, SF-T2I, FL-CE-T2I): each layer's local loss at that epoch, layer 1
    /// first; <see cref="Loss"/> is their mean. Null where one loss is trained at a time.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<float>? LayerLosses { get; init; }

    /// <summary>
    /// The test metric of the parameters this check read, where the run traces it (<see cref="Learning.RunContext.TraceTest"/>);
    /// null otherwise. A measurement of the test curve only: nothing is selected by it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Test { get; init; }
}

/// <summary>
/// The result of the first <see cref="Layers"/> layers of a layer-wise run: test and best validation metric,
/// epochs spent on that layer, training time since the start of the run, and the process's peak resident memory
/// when this depth was finished (what a run of exactly this depth would have needed).
/// </summary>
public sealed record DepthResult(int Layers, double Test, double Val, int Epochs, double TrainSeconds, double PeakRssMiB);

/// <summary>
/// The outcome of training on one split: test and best-validation metric in percent. Layer-wise algorithms also
/// report every depth 1..L (<see cref="PerDepth"/>); the top-level numbers are then those of depth L.
/// </summary>
public sealed record RunResult(int Split, long Seed, double Test, double Val, int Epochs, double TrainSeconds)
{
    /// <summary>
    /// The trained model, when the run was asked to keep it (<see cref="Learning.RunContext.KeepModel"/>) and its
    /// algorithm returns one; the receiver owns and disposes it. Not serialised.
    /// </summary>
    [JsonIgnore]
    public Models.GnnModel? Model { get; init; }

    /// <summary>For layer-wise algorithms, the result at every depth 1..L (<see cref="Learning.ILearningAlgorithm.ReportsEveryDepth"/>); null otherwise.</summary>
    public IReadOnlyList<DepthResult>? PerDepth { get; init; }
}
