using ForwardGnn.Engine;

namespace ForwardGnn.Training.Loop;

/// <summary>
/// A greedy schedule's layer checkpoints: a layer finished by an earlier (interrupted) run is loaded instead of trained
/// again, and each newly finished layer, its best parameters restored, is saved with its epochs and best metric.
/// A weight laid out transposed while its layer trains (<see cref="ParameterLayout"/>) is saved and loaded row by row,
/// as every other build writes it, and keeps its layout.
/// </summary>
internal sealed class LayerCheckpoints(ILayerCheckpoints folder, int split, EarlyStopping stopper) : ITrainingObserver
{
    public (int Epochs, double BestVal)? Restore(TrainingTarget target) =>
        ParameterLayout.InRowLayout(target.Watched, () => folder.TryRestoreLayer(split, target.Layer, target.Watched));

    public void AfterTraining(TrainingTarget target, int epochs) => ParameterLayout.InRowLayout(target.Watched, () =>
    {
        folder.SaveLayer(split, target.Layer, target.Watched, epochs, stopper.BestScore);
        return true;
    });
}
