namespace RomanaAws.Core.Leadership;

/// <summary>
/// The fence of a single replica (the file backend, <c>controller --once</c>, the CLI): always allows. The file store's
/// lock and revision check are the only guard, as there is one writer.
/// </summary>
public sealed class OpenWriteFence : IWriteFence
{
    private OpenWriteFence()
    {
    }

    public static OpenWriteFence Instance { get; } = new();

    public void EnsureMayWrite()
    {
    }

    public IWriteFence Pin() => this;
}
