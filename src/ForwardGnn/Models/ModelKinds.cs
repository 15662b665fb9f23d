using ForwardGnn.Learning;

namespace ForwardGnn.Models;

/// <summary>
/// Which model type restores the models of each algorithm: the algorithm registry's own answer
/// (<see cref="IModelRestorer"/>), so registering an algorithm registers its models too.
/// </summary>
internal static class ModelKinds
{
    /// <summary>The algorithms whose runs return a model.</summary>
    public static IReadOnlyCollection<string> Algorithms => [.. LearningAlgorithms.All.Where(a => a is IModelRestorer).Select(a => a.Name)];

    public static GnnModel Restore(ModelCard card, WeightSource weights) =>
        LearningAlgorithms.All.FirstOrDefault(a => string.Equals(a.Name, card.Algorithm, StringComparison.OrdinalIgnoreCase)) is IModelRestorer restorer
            ? restorer.RestoreModel(card, weights)
            : throw new Data.DataFormatException(GnnModel.CardFileName, $"algorithm '{card.Algorithm}' has no model type in this build");
}
