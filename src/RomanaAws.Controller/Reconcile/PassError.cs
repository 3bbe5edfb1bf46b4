namespace RomanaAws.Controller.Reconcile;

/// <summary>One error of a pass: what kind, the human message (logs, <c>/v1/routes</c>, the CLI), and the refused write if it was one.</summary>
public sealed record PassError(PassErrorKind Kind, string Message, WriteError? Write = null)
{
    public static PassError Selection(string message) => new(PassErrorKind.TableSelection, message);

    public static PassError Of(WriteError write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return new(PassErrorKind.Write, write.Message, write);
    }

    public override string ToString() => Message;
}
