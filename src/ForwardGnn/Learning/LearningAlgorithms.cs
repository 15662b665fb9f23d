using ForwardGnn.Learning.Backprop;
using ForwardGnn.Training;

namespace ForwardGnn.Learning;

/// <summary>The algorithm registry: one line per learning algorithm.</summary>
public static class LearningAlgorithms
{
    /// <summary>Every learning algorithm, in the order the command line lists them.</summary>
    public static IReadOnlyList<ILearningAlgorithm> All { get; } =
    [
        new BackpropAlgorithm(),
        new Forward.SingleForwardAlgorithm(),
        new Forward.FfLabelAppendingAlgorithm(),
        new Forward.FfVirtualNodesAlgorithm("ff-vn", Forward.Goodness.Loss),
        new Forward.FfVirtualNodesAlgorithm("symba", Forward.SymBa.NodeLoss),
        new Forward.SfTopToLossAlgorithm(),
        new Forward.SfTopToInputAlgorithm(),
        new Forward.ForwardLinkAlgorithm("fl-ce", Forward.LinkObjective.CrossEntropy),
        new Forward.ForwardLinkAlgorithm("fl-ff", Forward.LinkObjective.ForwardForward),
        new Forward.ForwardLinkTopDownAlgorithm(),
        new Forward.ForwardLinkAlgorithm("fl-symba", Forward.LinkObjective.SymBa),
        new Baselines.CascadedForwardAlgorithm(),
        new Baselines.PepitaAlgorithm("pepita", adam: false),
        new Baselines.PepitaAlgorithm("pepita-adam", adam: true),
        new Forward.MonoForwardAlgorithm(),
        new Forward.DrtpAlgorithm(),
        new Forward.DfaAlgorithm(),
    ];

    /// <summary>The algorithm named <paramref name="name"/> (ignoring case); throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static ILearningAlgorithm Find(string name) =>
        All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown algorithm '{Data.EchoedText.Shorten(name)}' (known: {string.Join(", ", All.Select(a => a.Name))})");

    /// <summary>
    /// Throws <see cref="InvalidSettingException"/> when <paramref name="config"/> asks for dropout (rate above 0) and
    /// <paramref name="algorithm"/> does not apply it for the config's task.
    /// </summary>
    internal static void CheckDropout(ILearningAlgorithm algorithm, TrainConfig config)
    {
        if (config.Dropout > 0 && !algorithm.AppliesDropout(config.Task))
            throw new InvalidSettingException(nameof(TrainConfig.Dropout), $"is not applied by {algorithm.Name} for the {config.Task.ToString().ToLowerInvariant()} task " +
                $"(those that apply it: {string.Join(", ", All.Where(a => a.AppliesDropout(config.Task)).Select(a => a.Name))})");
    }
}
