using RomanaAws.Aws.Ec2;

namespace RomanaAws.Controller.Reconcile;

/// <summary>One EC2 write a pass could not make (after the seam's retries), with EC2's answer: <see cref="RouteWriteError"/> or <see cref="SourceDestCheckError"/>.</summary>
public abstract record WriteError(Ec2ErrorKind Kind, string Code, string Detail)
{
    /// <summary>For logs and output: what was written where, and what EC2 said.</summary>
    public abstract string Message { get; }

    public sealed override string ToString() => Message;
}
