using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// A forward-forward layer loss: from the positive stream's output [N, d], the negative streams' outputs (each
/// [N, d]), the training nodes [T] and the goodness threshold θ, a scalar (FF's
/// <see cref="Goodness.Loss(Tensor, IReadOnlyList{Tensor}, Tensor, double)"/>, SymBa's <see cref="SymBa.NodeLoss"/>).
/// </summary>
internal delegate Tensor ForwardForwardLoss(Tensor positive, IReadOnlyList<Tensor> negatives, Tensor nodes, double theta);
