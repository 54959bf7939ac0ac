import { Anchor, type AnchorProps, Button, type ButtonProps, NavLink, type NavLinkProps } from "@mantine/core";
import { createLink } from "@tanstack/react-router";
import type { ComponentPropsWithRef } from "react";

/** Mantine components rendered as TanStack Router links: typed `to`, `params` and `search`. */

type AsAnchor<P> = P & Omit<ComponentPropsWithRef<"a">, keyof P>;

function AnchorBase(props: AsAnchor<AnchorProps>) {
  return <Anchor {...props} />;
}

function ButtonBase(props: AsAnchor<ButtonProps>) {
  return <Button component="a" {...props} />;
}

function NavLinkBase(props: AsAnchor<NavLinkProps>) {
  return <NavLink component="a" {...props} />;
}

export const AnchorLink = createLink(AnchorBase);
export const ButtonLink = createLink(ButtonBase);
export const NavLinkItem = createLink(NavLinkBase);
