namespace RomanaAws.Etcd;

/// <summary>etcd could not be reached or did not answer in time; nothing was written (or a write's outcome is unknown and is re-read).</summary>
public sealed class EtcdUnavailableException : Exception
{
    public EtcdUnavailableException()
    {
    }

    public EtcdUnavailableException(string message)
        : base(message)
    {
    }

    public EtcdUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
