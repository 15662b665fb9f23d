using static TorchSharp.torch;

namespace ForwardGnn.Learning.Forward;

/// <summary>
/// A forward-forward layer loss: from the positive stream's output [N, d], the negative streams' outputs (each
/// [N, d]) and the training nodes [T], a scalar (FF's <see cref="Goodness.Loss(Tensor, IReadOnlyList{Tensor}, Tensor)"/>,
/// SymBa's <see cref="SymBa.NodeLoss"/>).
/// </summary>
internal delegate Tensor ForwardForwardLoss(Tensor positive, IReadOnlyList<Tensor> negatives, Tensor nodes);
