namespace ForwardGnn.Training.Loop;

/// <summary>
/// The loop's guard against NaN and infinity (<see cref="NumericalGuard"/>): the loss after every step, the watched
/// parameters before every check. On a fault it throws or restores the last checkpoint and ends training, as the policy says.
/// </summary>
internal sealed class NonFiniteGuard(NanPolicy policy, EarlyStopping stopper) : ITrainingObserver
{
    public bool AfterStep(TrainingTarget target, int epoch, float loss) =>
        !float.IsFinite(loss) && NumericalGuard.Fault(policy, "loss", target.Layer, epoch, stopper, target.Watched);

    public bool BeforeCheck(TrainingTarget target, int epoch) =>
        !NumericalGuard.AllFinite(target.Watched) && NumericalGuard.Fault(policy, "parameter", target.Layer, epoch, stopper, target.Watched);
}
