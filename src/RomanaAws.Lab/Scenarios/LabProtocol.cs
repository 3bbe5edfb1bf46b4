namespace RomanaAws.Lab.Scenarios;

/// <summary>The protocols a probe of the matrix uses (each pod's server answers both on <see cref="Reach.Port"/>).</summary>
public enum LabProtocol
{
    Tcp,
    Udp,
}
