using ForwardGnn.Training;

namespace ForwardGnn.Learning;

/// <summary>
/// A way to train a GNN (backpropagation, or one of the forward-learning algorithms). Adding one is a new class (which
/// also names the model type that restores its saved models), a line in <see cref="LearningAlgorithms"/> and a test file.
/// </summary>
public interface ILearningAlgorithm
{
    /// <summary>The name used on the command line (<c>--algo</c>).</summary>
    string Name { get; }

    /// <summary>True when the algorithm can train for <paramref name="task"/> (node classification or link prediction).</summary>
    bool Supports(TaskKind task);

    /// <summary>
    /// True for layer-wise algorithms: one run at depth L also reports every depth 1..L
    /// (<see cref="RunResult.PerDepth"/>), so a depth sweep needs only the deepest run.
    /// </summary>
    bool ReportsEveryDepth => false;

    /// <summary>True when the algorithm applies <see cref="TrainConfig.Dropout"/> for <paramref name="task"/>; a run of one that does not with a dropout rate above 0 is refused.</summary>
    bool AppliesDropout(TaskKind task) => false;

    /// <summary>True when the algorithm measures the test metric at every check for <paramref name="task"/> if the run asks (<see cref="RunContext.TraceTest"/>).</summary>
    bool TracesTest(TaskKind task) => false;

    /// <summary>Trains on one split and reports the test metric of the best-validation model.</summary>
    RunResult Run(RunContext context);
}
