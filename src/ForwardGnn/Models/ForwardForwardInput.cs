namespace ForwardGnn.Models;

/// <summary>How a forward-forward node model (<see cref="ForwardForwardModel"/>) gives a stream its labels.</summary>
public enum ForwardForwardInput
{
    /// <summary>FF-LA: a one-hot label block appended to the features, [X ‖ P] (1/C at nodes without a label).</summary>
    LabelAppending,

    /// <summary>FF-VN and FF-SymBa: an edge each way between a labelled node and the virtual node of its class.</summary>
    VirtualNodes,
}
