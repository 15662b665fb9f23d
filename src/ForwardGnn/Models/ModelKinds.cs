using ForwardGnn.Learning.Forward;

namespace ForwardGnn.Models;

/// <summary>The model registry: which model type restores the models of each algorithm (one line per algorithm).</summary>
internal static class ModelKinds
{
    private static readonly Dictionary<string, Func<ModelCard, WeightSource, GnnModel>> Restorers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bp"] = BackpropModel.Restore,
        ["sf"] = SingleForwardModel.Restore,
        ["ff-la"] = (card, w) => ForwardForwardModel.Restore(card, w, ForwardForwardInput.LabelAppending),
        ["ff-vn"] = (card, w) => ForwardForwardModel.Restore(card, w, ForwardForwardInput.VirtualNodes),
        ["symba"] = (card, w) => ForwardForwardModel.Restore(card, w, ForwardForwardInput.VirtualNodes),
        ["fl-ce"] = (card, w) => ForwardLinkModel.Restore(card, w, LinkObjective.CrossEntropy),
        ["fl-ff"] = (card, w) => ForwardLinkModel.Restore(card, w, LinkObjective.ForwardForward),
        ["fl-symba"] = (card, w) => ForwardLinkModel.Restore(card, w, LinkObjective.SymBa),
        ["cafo"] = CascadedForwardModel.Restore,
        ["pepita"] = BackpropModel.Restore,
        ["pepita-adam"] = BackpropModel.Restore,
        ["sf-t2l"] = TopToLossModel.Restore,
        ["sf-t2i"] = TopToInputModel.Restore,
        ["fl-ce-t2i"] = ForwardLinkTopDownModel.Restore,
        ["mono-forward"] = MonoForwardModel.Restore,
        ["drtp"] = BackpropModel.Restore,
        ["dfa"] = BackpropModel.Restore,
    };

    /// <summary>The algorithms whose runs return a model.</summary>
    public static IReadOnlyCollection<string> Algorithms => Restorers.Keys;

    public static GnnModel Restore(ModelCard card, WeightSource weights) =>
        Restorers.TryGetValue(card.Algorithm, out var restore)
            ? restore(card, weights)
            : throw new Data.DataFormatException(GnnModel.CardFileName, $"algorithm '{card.Algorithm}' has no model type in this build");
}
