namespace ForwardGnn.Training;

/// <summary>
/// The knobs of the forward-learning rules, with the reference's defaults (the CLI's flags and the defaults in brackets).
/// Each algorithm reads the ones its rule has, and its model's card keeps them.
/// </summary>
public sealed record ForwardOptions
{
    /// <summary>τ of SF's class scores Z[q] · Z[VN]ᵀ / τ (sf, sf-t2l, sf-t2i) [<c>--temperature</c>, 1.0].</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>θ of the forward-forward goodness Σ a² − θ (ff-la, ff-vn, fl-ff; it cancels in SymBa's gap) [<c>--ff-theta</c>, 2.0].</summary>
    public double Theta { get; init; } = 2.0;

    /// <summary>Time steps of a top-down prediction (sf-t2i, fl-ce-t2i), which sums steps 2 onwards [<c>--test-time-steps</c>, 10].</summary>
    public int TestTimeSteps { get; init; } = 10;

    /// <summary>The cap on each layer's gradient norm in SF-Top-To-Loss (sf-t2l) [<c>--grad-max-norm</c>, 1.0].</summary>
    public double GradMaxNorm { get; init; } = 1.0;

    /// <summary>α of DFA-GNN's error spreading Z ← (1 − α)E + α Â Z (dfa) [<c>--dfa-alpha</c>, 0.1, the paper's Cora value].</summary>
    public double DfaAlpha { get; init; } = 0.1;

    /// <summary>T, the iterations of DFA-GNN's error spreading; 0 turns pseudo errors off (dfa) [<c>--dfa-steps</c>, 50].</summary>
    public int DfaSteps { get; init; } = 50;

    /// <summary>ε of DFA-GNN's node filter (a node is kept when exactly one class of Ỹ − Ê exceeds ε); 1 turns the filter off (dfa) [<c>--dfa-threshold</c>, 0.5].</summary>
    public double DfaThreshold { get; init; } = 0.5;

    /// <summary>
    /// DFA-GNN's output: false, Ỹ = σ(X_L) with binary cross-entropy (the paper's worked example); true, Ỹ = softmax(X_L)
    /// with cross-entropy. Either way E = Ỹ − Y (dfa) [sigmoid].
    /// </summary>
    public bool DfaSoftmax { get; init; }

    /// <summary>Throws <see cref="InvalidSettingException"/> for values no rule can use.</summary>
    public void Validate()
    {
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new InvalidSettingException(nameof(Temperature), "must be positive");
        if (!double.IsFinite(Theta)) throw new InvalidSettingException(nameof(Theta), "must be a finite number");
        if (TestTimeSteps is < 3 or > 1000) throw new InvalidSettingException(nameof(TestTimeSteps), "must be 3..1000 (steps 2 onwards are summed)");
        if (!(GradMaxNorm > 0) || !double.IsFinite(GradMaxNorm)) throw new InvalidSettingException(nameof(GradMaxNorm), "must be positive");
        if (!(DfaAlpha is >= 0 and <= 1)) throw new InvalidSettingException(nameof(DfaAlpha), "must be in 0..1");
        if (DfaSteps is < 0 or > 10000) throw new InvalidSettingException(nameof(DfaSteps), "must be 0..10000");
        if (!(DfaThreshold is > 0 and <= 1)) throw new InvalidSettingException(nameof(DfaThreshold), "must be in (0, 1] (1 turns the node filter off)");
    }
}
