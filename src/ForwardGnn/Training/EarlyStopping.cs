using static TorchSharp.torch;

namespace ForwardGnn.Training;

/// <summary>
/// Early stopping on a validation score to maximise (spec §3.7): the first score, or one strictly greater than the
/// best, stores a copy of the watched parameters and resets the counter; otherwise the counter grows and training
/// should stop once it reaches <see cref="Patience"/> checks. A negative patience never stops and keeps nothing.
/// </summary>
public sealed class EarlyStopping(int patience) : IDisposable, Loop.ITrainingObserver
{
    private Dictionary<string, Tensor>? _best;
    private int _sinceBest;

    /// <summary>Checks without improvement after which training stops; negative: never.</summary>
    public int Patience { get; } = patience;
    /// <summary>Best validation score so far (−∞ before the first check).</summary>
    public double BestScore { get; private set; } = double.NegativeInfinity;
    /// <summary>Epoch of <see cref="BestScore"/> (−1 before the first check).</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>Records a check; returns true when training should stop.</summary>
    public bool Check(double score, int epoch, nn.Module watched)
    {
        if (_best is null || score > BestScore)
        {
            BestScore = score;
            BestEpoch = epoch;
            _sinceBest = 0;
            ReplaceBest(watched);
            return false;
        }
        return ++_sinceBest >= Patience;
    }

    /// <summary>Loads the best parameters back into <paramref name="watched"/>; false when nothing was stored.</summary>
    public bool RestoreBest(nn.Module watched)
    {
        if (_best is null) return false;
        using var _ = no_grad();
        foreach ((string name, Tensor value) in watched.state_dict()) value.copy_(_best[name]);
        return true;
    }

    private void ReplaceBest(nn.Module watched)
    {
        DisposeBest();
        _best = watched.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    private void DisposeBest()
    {
        if (_best is null) return;
        foreach (Tensor t in _best.Values) t.Dispose();
        _best = null;
    }

    bool Loop.ITrainingObserver.AfterCheck(Loop.TrainingTarget target, ValidationRecord check) =>
        Check(check.Val, check.Epoch, target.Checked ?? target.Watched);

    void Loop.ITrainingObserver.AfterTraining(Loop.TrainingTarget target, int epochs) => RestoreBest(target.Watched);

    /// <summary>Frees the stored copy of the best parameters.</summary>
    public void Dispose() => DisposeBest();
}
