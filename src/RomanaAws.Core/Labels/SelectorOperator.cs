namespace RomanaAws.Core.Labels;

/// <summary>The operators of a Kubernetes label selector requirement (<c>matchExpressions[].operator</c>).</summary>
public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
