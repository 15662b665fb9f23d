namespace ForwardGnn.Training.Loop;

/// <summary>
/// Something that watches the <see cref="TrainingLoop"/>: early stopping, the non-finite guard, progress reports,
/// layer checkpoints. Each hook may end the training of the target (return true); the loop asks the observers in order
/// (guard, progress, early stopping, checkpoints) until one ends it.
/// </summary>
internal interface ITrainingObserver
{
    /// <summary>Before training: a result that makes training unnecessary (a layer finished earlier), or null.</summary>
    (int Epochs, double BestVal)? Restore(TrainingTarget target) => null;

    /// <summary>After each step (<paramref name="epoch"/> 0-based) with its loss; true ends training.</summary>
    bool AfterStep(TrainingTarget target, int epoch, float loss) => false;

    /// <summary>Before a due validation check of the parameters after <paramref name="epoch"/>; true ends training.</summary>
    bool BeforeCheck(TrainingTarget target, int epoch) => false;

    /// <summary>After a validation check; true ends training.</summary>
    bool AfterCheck(TrainingTarget target, ValidationRecord check) => false;

    /// <summary>When training of the target has ended after <paramref name="epochs"/> epochs.</summary>
    void AfterTraining(TrainingTarget target, int epochs) { }
}
