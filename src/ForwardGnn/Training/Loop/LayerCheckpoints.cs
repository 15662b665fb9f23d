namespace ForwardGnn.Training.Loop;

/// <summary>
/// A greedy schedule's layer checkpoints: a layer finished by an earlier (interrupted) run is loaded instead of trained
/// again, and each newly finished layer, its best parameters restored, is saved with its epochs and best metric.
/// </summary>
internal sealed class LayerCheckpoints(ILayerCheckpoints folder, int split, EarlyStopping stopper) : ITrainingObserver
{
    public (int Epochs, double BestVal)? Restore(TrainingTarget target) => folder.TryRestoreLayer(split, target.Layer, target.Watched);

    public void AfterTraining(TrainingTarget target, int epochs) =>
        folder.SaveLayer(split, target.Layer, target.Watched, epochs, stopper.BestScore);
}
