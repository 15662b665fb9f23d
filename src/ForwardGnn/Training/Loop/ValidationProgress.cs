namespace ForwardGnn.Training.Loop;

/// <summary>Hands every validation check to the run's listener (progress bars, <c>metrics.jsonl</c>, curves).</summary>
internal sealed class ValidationProgress(Action<ValidationRecord>? listener) : ITrainingObserver
{
    public bool AfterCheck(TrainingTarget target, ValidationRecord check)
    {
        listener?.Invoke(check);
        return false;
    }
}
