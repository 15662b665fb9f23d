namespace ForwardGnn.Training;

/// <summary>One validation check: which split, epoch (0-based) and layer (1-based; 0 for whole-model algorithms).</summary>
public sealed record ValidationRecord(int Split, int Epoch, int Layer, double Loss, double Val, double ElapsedSeconds);

/// <summary>The outcome of training on one split: test and best-validation metric in percent.</summary>
public sealed record RunResult(int Split, long Seed, double Test, double Val, int Epochs, double TrainSeconds);
