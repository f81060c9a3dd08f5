package dev.statefunts.flinkruntime;

import java.io.Serializable;

/** One message posted to the control endpoint: the target address and the argument's bytes. */
public final class Inbound implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String namespace;
  public final String type;
  public final String id;
  public final String typename;
  public final byte[] value;

  public Inbound(String namespace, String type, String id, String typename, byte[] value) {
    this.namespace = namespace;
    this.type = type;
    this.id = id;
    this.typename = typename;
    this.value = value;
  }
}
