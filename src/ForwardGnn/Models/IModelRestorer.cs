namespace ForwardGnn.Models;

/// <summary>
/// An algorithm whose runs return a model: it restores a saved one (<see cref="GnnModel.Load"/>) into the model type
/// its prediction rule needs. Algorithms implement it beside <see cref="Learning.ILearningAlgorithm"/>, so the algorithm
/// registry is also the model registry (<see cref="ModelKinds"/>).
/// </summary>
internal interface IModelRestorer
{
    /// <summary>The model described by <paramref name="card"/>, its parameters read from <paramref name="weights"/>.</summary>
    GnnModel RestoreModel(ModelCard card, WeightSource weights);
}
