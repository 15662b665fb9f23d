namespace ForwardGnn.Data.Pickle;

/// <summary>A class or function named by a pickle's GLOBAL opcode (<c>module.name</c>); never imported or called.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// An object a pickle constructs by calling <see cref="Callable"/> with <see cref="Arguments"/> (REDUCE or NEWOBJ);
/// <see cref="State"/> is what BUILD handed it afterwards (numpy's state tuple, a scipy matrix's attribute dict).
/// Nothing is executed: the reader only records the call.
/// </summary>
internal sealed class PickleObject(PickleGlobal callable, object?[] arguments)
{
    public PickleGlobal Callable { get; } = callable;
    public object?[] Arguments { get; } = arguments;
    public object? State { get; set; }
}
